//! [`PgTx`]: the [`Tx`] of one PostgreSQL transaction.

use super::rows;
use super::sql;
use super::{Connection, Params};
use crate::analytics::{HistoryEntry, NewHistoryEntry, ReportQuery, ReportTotals};
use crate::error::{Error, Result};
use crate::model::{
    ApiKey, Contact, Customer, Event, Onboarding, PhaseTransition, Timestamp, Workspace,
    API_VERSION,
};
use crate::store::sql_values::{changed_one, json, limit, ms, opt_ms, position};
use crate::store::{
    api_key_revoked, CustomerFilter, DisplayKind, EventFilter, IdempotencyEntry, NewEvent,
    OnboardingFilter, PageRequest, Scope, StoredApiKey, TimelineCursor, Tx,
};
use std::collections::HashMap;
use tokio_postgres::types::ToSql;
use tokio_postgres::Row;

/// The [`Tx`] of one transaction on `conn`. In a read transaction every mutating method fails.
///
/// In a write transaction, the first statement about a workspace is preceded by locking its row
/// of `write_locks` (the key `""` stands for the workspace list): from then until the transaction
/// ends, no other transaction writes to that workspace, so that what this one read stays true
/// until it commits, as if the writes of a workspace ran one at a time (they do).
///
/// The numbers a transaction takes (event sequences, display ids) are counted here: a counter's
/// row is written by the statement that first uses it, later values stay in the [`Counter`], and
/// [`PgTx::commit`] writes the last one with COMMIT. PostgreSQL keeps every version of a row
/// that an open transaction made, and each update walks them: a transaction updating one row for
/// each of 20,000 items would slow down quadratically. The rows stay locked from their first use
/// (the workspace's from its first statement) until the transaction ends.
pub(super) struct PgTx<'c> {
    conn: &'c mut Connection,
    writable: bool,
    /// The workspaces (`""`: the workspace list) this transaction holds locked, with their event
    /// sequence.
    locked: HashMap<String, Lock>,
    /// The display-id counters this transaction has taken from or raised.
    display_ids: HashMap<(String, DisplayKind), Counter>,
}

/// A workspace's lock in a transaction.
enum Lock {
    /// Asked for (the answer is the deferred statement's `ticket`, with the event sequence).
    Asked(usize),
    /// Held, with the event sequence.
    Held(Counter),
}

/// A counter of the transaction: the value it has reached, and the value it wrote to the row.
struct Counter {
    value: i64,
    /// `None` while the transaction has not written the row.
    stored: Option<i64>,
}

type Reader<T> = fn(&Row) -> Result<T>;

/// The key of the workspace list's lock.
const WORKSPACE_LIST: &str = "";

impl<'c> PgTx<'c> {
    pub(super) fn new(conn: &'c mut Connection, writable: bool) -> Self {
        Self {
            conn,
            writable,
            locked: HashMap::new(),
            display_ids: HashMap::new(),
        }
    }

    /// Commits: writes every counter whose last value is not in its row yet, and COMMIT, in one
    /// round trip; succeeds only when all succeeded.
    pub(super) fn commit(&mut self) -> Result<()> {
        let moved = |c: &Counter| c.stored.is_some_and(|stored| stored != c.value);
        let sequences: Vec<[&(dyn ToSql + Sync); 2]> = (self.locked.iter())
            .filter_map(|(workspace_id, lock)| match lock {
                Lock::Held(c) if moved(c) => Some([workspace_id as _, &c.value as _]),
                _ => None,
            })
            .collect();
        let kinds: Vec<(&String, &'static str, &i64)> = (self.display_ids.iter())
            .filter(|(_, c)| moved(c))
            .map(|((workspace_id, kind), c)| (workspace_id, kind.as_str(), &c.value))
            .collect();
        let display_ids: Vec<[&(dyn ToSql + Sync); 3]> = (kinds.iter())
            .map(|(workspace_id, kind, value)| [*workspace_id as _, kind as _, *value as _])
            .collect();
        let flush: Vec<(&'static str, &[&(dyn ToSql + Sync)])> = (sequences.iter())
            .map(|params| (sql::STORE_SEQUENCE, &params[..]))
            .chain(
                display_ids
                    .iter()
                    .map(|params| (sql::STORE_DISPLAY_ID, &params[..])),
            )
            .collect();
        self.conn.commit(&flush)
    }

    /// Settles what the transaction still has to check (a read's end).
    pub(super) fn settle(&mut self) -> Result<()> {
        self.conn.settle()
    }
}

impl PgTx<'_> {
    /// In a write transaction, locks `workspace_id`'s writes, once: the lock is taken by a
    /// deferred statement, which goes with the next one (`Connection::defer`), and whose answer,
    /// the event sequence, is read when an event needs it ([`PgTx::sequence`]).
    fn lock(&mut self, workspace_id: &str) -> Result<()> {
        if !self.writable || self.locked.contains_key(workspace_id) {
            return Ok(());
        }
        let ticket =
            (self.conn).defer(sql::LOCK_WRITES, vec![Box::new(workspace_id.to_owned())])?;
        self.locked
            .insert(workspace_id.to_owned(), Lock::Asked(ticket));
        Ok(())
    }

    /// The event sequence of `workspace_id`, locked by this transaction.
    fn sequence(&mut self, workspace_id: &str) -> Result<&mut Counter> {
        self.lock(workspace_id)?;
        let lock = self.locked.get_mut(workspace_id);
        let lock = lock.ok_or_else(|| Error::internal("the workspace's sequence is not held"))?;
        if let Lock::Asked(ticket) = *lock {
            let rows = self.conn.answer(ticket)?;
            let sequence = rows
                .first()
                .map(first)
                .transpose()?
                .ok_or_else(|| Error::internal("locking a workspace returned no sequence"))?;
            *lock = Lock::Held(Counter {
                value: sequence,
                stored: None,
            });
        }
        match lock {
            Lock::Held(counter) => Ok(counter),
            Lock::Asked(_) => Err(Error::internal("the workspace's sequence is not held")),
        }
    }

    /// The display-id counter `(workspace_id, kind)` if this transaction has used it; otherwise
    /// runs `sql` (which writes the row, locks it and returns its value) and keeps that value.
    fn display_counter(
        &mut self,
        workspace_id: &str,
        kind: DisplayKind,
        sql: &'static str,
        params: Params,
    ) -> Result<Option<&mut Counter>> {
        let key = (workspace_id.to_owned(), kind);
        if self.display_ids.contains_key(&key) {
            return Ok(self.display_ids.get_mut(&key));
        }
        let value: i64 = self
            .one(workspace_id, sql, params, first)?
            .ok_or_else(|| Error::internal("the display-id counter returned nothing"))?;
        let counter = Counter {
            value,
            stored: Some(value),
        };
        self.display_ids.insert(key, counter);
        Ok(None)
    }

    fn execute(&mut self, workspace_id: &str, sql: &'static str, params: Params) -> Result<u64> {
        self.lock(workspace_id)?;
        self.conn.execute(sql, params)
    }

    fn one<T>(
        &mut self,
        workspace_id: &str,
        sql: &'static str,
        params: Params,
        read: Reader<T>,
    ) -> Result<Option<T>> {
        self.lock(workspace_id)?;
        self.conn.query(sql, params)?.first().map(read).transpose()
    }

    fn all<T>(
        &mut self,
        workspace_id: &str,
        sql: &'static str,
        params: Params,
        read: Reader<T>,
    ) -> Result<Vec<T>> {
        self.lock(workspace_id)?;
        self.conn.query(sql, params)?.iter().map(read).collect()
    }

    /// Fails unless this is a write transaction.
    fn check_writable(&self, what: &str) -> Result<()> {
        if self.writable {
            Ok(())
        } else {
            Err(Error::internal(format!("{what} in a read transaction")))
        }
    }

    /// Runs [`sql::INSERT_CUSTOMER`] or [`sql::UPDATE_CUSTOMER`].
    fn write_customer(&mut self, sql: &'static str, scope: &Scope, c: &Customer) -> Result<u64> {
        self.execute(
            &scope.workspace_id,
            sql,
            &[
                &scope.workspace_id,
                &scope.livemode,
                &c.id,
                &c.display_id,
                &c.name,
                &c.slug,
                &c.domain,
                &c.status.as_str(),
                &c.plan,
                &c.mrr,
                &c.monthly_orders,
                &c.hubspot_company_id,
                &c.hubspot_deal_id,
                &c.stripe_customer_id,
                &c.intercom_company_id,
                &c.slack_channel_id,
                &json(&c.metadata)?,
                &ms(&c.created_at),
                &ms(&c.updated_at),
            ],
        )
    }

    /// Runs [`sql::INSERT_CONTACT`] or [`sql::UPDATE_CONTACT`].
    fn write_contact(&mut self, sql: &'static str, scope: &Scope, k: &Contact) -> Result<u64> {
        self.execute(
            &scope.workspace_id,
            sql,
            &[
                &scope.workspace_id,
                &scope.livemode,
                &k.id,
                &k.display_id,
                &k.customer_id,
                &k.name,
                &k.email,
                &k.title,
                &k.phone,
                &k.is_primary,
                &json(&k.labels)?,
                &ms(&k.created_at),
                &ms(&k.updated_at),
            ],
        )
    }

    /// Runs [`sql::INSERT_ONBOARDING`] or [`sql::UPDATE_ONBOARDING`].
    fn write_onboarding(
        &mut self,
        sql: &'static str,
        scope: &Scope,
        o: &Onboarding,
    ) -> Result<u64> {
        self.execute(
            &scope.workspace_id,
            sql,
            &[
                &scope.workspace_id,
                &scope.livemode,
                &o.id,
                &o.display_id,
                &o.customer_id,
                &o.template_id,
                &o.phase.as_str(),
                &o.state.as_str(),
                &ms(&o.started_at),
                &opt_ms(&o.completed_at),
                &opt_ms(&o.target_launch_date),
                &o.csm_id,
                &o.se_id,
                &o.designer_id,
                &o.product_ops_id,
                &o.notes,
                &o.waiting_on_customer,
                &opt_ms(&o.waiting_on_customer_since),
                &opt_ms(&o.wizard_completed_at),
                &o.reminder_email,
                &o.reminder_slack,
                &o.reminder_frequency_days,
                &ms(&o.created_at),
                &ms(&o.updated_at),
            ],
        )
    }
}

fn first<T: rows::Column>(row: &Row) -> Result<T> {
    rows::get(row, 0)
}

impl Tx for PgTx<'_> {
    /// Workspace rows never change once inserted: reading one takes no lock.
    fn workspace(&mut self, id: &str) -> Result<Option<Workspace>> {
        let rows = self.conn.query(sql::WORKSPACE, &[&id])?;
        rows.first().map(rows::workspace).transpose()
    }

    fn workspace_by_slug(&mut self, slug: &str) -> Result<Option<Workspace>> {
        self.one(
            WORKSPACE_LIST,
            sql::WORKSPACE_BY_SLUG,
            &[&slug],
            rows::workspace,
        )
    }

    fn insert_workspace(&mut self, workspace: &Workspace, created_at: Timestamp) -> Result<()> {
        self.check_writable("insert_workspace")?;
        self.execute(
            WORKSPACE_LIST,
            sql::INSERT_WORKSPACE,
            &[
                &workspace.id,
                &workspace.slug,
                &workspace.name,
                &ms(&created_at),
            ],
        )
        .map(drop)
    }

    fn workspaces(&mut self) -> Result<Vec<Workspace>> {
        self.all(WORKSPACE_LIST, sql::WORKSPACES, &[], rows::workspace)
    }

    /// The first in a transaction takes the value in the `counters` row; the next ones count on
    /// in the transaction ([`PgTx::commit`]).
    fn next_display_id(&mut self, workspace_id: &str, kind: DisplayKind) -> Result<i64> {
        self.check_writable("next_display_id")?;
        let params: Params = &[&workspace_id, &kind.as_str()];
        match self.display_counter(workspace_id, kind, sql::NEXT_DISPLAY_ID, params)? {
            Some(counter) => {
                counter.value += 1;
                Ok(counter.value)
            }
            None => Ok(self.display_ids[&(workspace_id.to_owned(), kind)].value),
        }
    }

    fn raise_display_id(
        &mut self,
        workspace_id: &str,
        kind: DisplayKind,
        value: i64,
    ) -> Result<()> {
        self.check_writable("raise_display_id")?;
        let params: Params = &[&workspace_id, &kind.as_str(), &value];
        if let Some(counter) =
            self.display_counter(workspace_id, kind, sql::RAISE_DISPLAY_ID, params)?
        {
            counter.value = counter.value.max(value);
        }
        Ok(())
    }

    fn display_id_owner(
        &mut self,
        workspace_id: &str,
        kind: DisplayKind,
        display_id: i64,
    ) -> Result<Option<(bool, String)>> {
        let sql = match kind {
            DisplayKind::Customer => sql::CUSTOMER_DISPLAY_ID_OWNER,
            DisplayKind::Contact => sql::CONTACT_DISPLAY_ID_OWNER,
            DisplayKind::Onboarding => sql::ONBOARDING_DISPLAY_ID_OWNER,
        };
        self.one(workspace_id, sql, &[&workspace_id, &display_id], |r| {
            Ok((first(r)?, rows::get(r, 1)?))
        })
    }

    fn record_exists(&mut self, scope: &Scope, kind: DisplayKind, id: &str) -> Result<bool> {
        let sql = match kind {
            DisplayKind::Customer => sql::CUSTOMER_EXISTS,
            DisplayKind::Contact => sql::CONTACT_EXISTS,
            DisplayKind::Onboarding => sql::ONBOARDING_EXISTS,
        };
        let params: Params = &[&scope.workspace_id, &scope.livemode, &id];
        Ok(self
            .one(&scope.workspace_id, sql, params, |_| Ok(()))?
            .is_some())
    }

    fn insert_api_key(&mut self, scope: &Scope, key: &ApiKey, hash: &str) -> Result<()> {
        self.check_writable("insert_api_key")?;
        self.execute(
            &scope.workspace_id,
            sql::INSERT_API_KEY,
            &[
                &scope.workspace_id,
                &scope.livemode,
                &key.id,
                &key.name,
                &key.prefix,
                &hash,
                &ms(&key.created_at),
            ],
        )
        .map(drop)
    }

    fn api_keys(&mut self, scope: &Scope) -> Result<Vec<ApiKey>> {
        let params: Params = &[&scope.workspace_id, &scope.livemode];
        self.all(&scope.workspace_id, sql::API_KEYS, params, rows::api_key)
    }

    fn api_key(&mut self, scope: &Scope, id: &str) -> Result<Option<ApiKey>> {
        let params: Params = &[&scope.workspace_id, &scope.livemode, &id];
        self.one(&scope.workspace_id, sql::API_KEY, params, rows::api_key)
    }

    /// Checked with the transaction's next statement (`Connection::defer_check`).
    fn require_live_api_key(&mut self, scope: &Scope, id: &str) -> Result<()> {
        self.lock(&scope.workspace_id)?;
        let params: Vec<Box<dyn ToSql + Sync + Send>> = vec![
            Box::new(scope.workspace_id.clone()),
            Box::new(scope.livemode),
            Box::new(id.to_owned()),
        ];
        (self.conn).defer_check(sql::LIVE_API_KEY, params, api_key_revoked())
    }

    fn revoke_api_key(&mut self, scope: &Scope, id: &str, at: Timestamp) -> Result<()> {
        self.check_writable("revoke_api_key")?;
        let params: Params = &[&scope.workspace_id, &scope.livemode, &id, &ms(&at)];
        match self.execute(&scope.workspace_id, sql::REVOKE_API_KEY, params)? {
            1 => Ok(()),
            _ => Err(Error::internal(format!("api key {id} does not exist"))),
        }
    }

    /// Only authentication reads this, in a read transaction: it takes no lock.
    fn api_keys_by_prefix(&mut self, prefix: &str) -> Result<Vec<StoredApiKey>> {
        let rows = self.conn.query(sql::API_KEYS_BY_PREFIX, &[&prefix])?;
        rows.iter().map(rows::stored_api_key).collect()
    }

    fn insert_customer(&mut self, scope: &Scope, customer: &Customer) -> Result<()> {
        self.check_writable("insert_customer")?;
        self.write_customer(sql::INSERT_CUSTOMER, scope, customer)
            .map(drop)
    }

    fn update_customer(&mut self, scope: &Scope, customer: &Customer) -> Result<()> {
        self.check_writable("update_customer")?;
        let changed = self.write_customer(sql::UPDATE_CUSTOMER, scope, customer)?;
        changed_one(changed, "customer", &customer.id)
    }

    fn delete_customer(&mut self, scope: &Scope, id: &str, at: Timestamp) -> Result<()> {
        self.check_writable("delete_customer")?;
        let params: Params = &[&scope.workspace_id, &scope.livemode, &id, &ms(&at)];
        let changed = self.execute(&scope.workspace_id, sql::DELETE_CUSTOMER, params)?;
        changed_one(changed, "customer", id)
    }

    fn customer(&mut self, scope: &Scope, id: &str) -> Result<Option<Customer>> {
        let params: Params = &[&scope.workspace_id, &scope.livemode, &id];
        self.one(&scope.workspace_id, sql::CUSTOMER, params, rows::customer)
    }

    fn customer_by_display_id(
        &mut self,
        scope: &Scope,
        display_id: i64,
    ) -> Result<Option<Customer>> {
        let params: Params = &[&scope.workspace_id, &scope.livemode, &display_id];
        let sql = sql::CUSTOMER_BY_DISPLAY_ID;
        self.one(&scope.workspace_id, sql, params, rows::customer)
    }

    fn customer_id_by_slug(&mut self, scope: &Scope, slug: &str) -> Result<Option<String>> {
        let params: Params = &[&scope.workspace_id, &scope.livemode, &slug];
        self.one(&scope.workspace_id, sql::CUSTOMER_ID_BY_SLUG, params, first)
    }

    fn list_customers(
        &mut self,
        scope: &Scope,
        filter: &CustomerFilter,
        page: &PageRequest,
    ) -> Result<Vec<Customer>> {
        let sql = if filter.slug.is_some() {
            sql::LIST_CUSTOMERS_BY_SLUG
        } else if filter.status.is_some() {
            sql::LIST_CUSTOMERS_BY_STATUS
        } else {
            sql::LIST_CUSTOMERS
        };
        let (t, id) = position(page);
        let params: Params = &[
            &scope.workspace_id,
            &scope.livemode,
            &t,
            &id,
            &limit(page.limit),
            &filter.status.map(|s| s.as_str()),
            &filter.slug,
        ];
        self.all(&scope.workspace_id, sql, params, rows::customer)
    }

    fn insert_contact(&mut self, scope: &Scope, contact: &Contact) -> Result<()> {
        self.check_writable("insert_contact")?;
        self.write_contact(sql::INSERT_CONTACT, scope, contact)
            .map(drop)
    }

    fn update_contact(&mut self, scope: &Scope, contact: &Contact) -> Result<()> {
        self.check_writable("update_contact")?;
        let changed = self.write_contact(sql::UPDATE_CONTACT, scope, contact)?;
        changed_one(changed, "contact", &contact.id)
    }

    fn delete_contact(&mut self, scope: &Scope, id: &str, at: Timestamp) -> Result<()> {
        self.check_writable("delete_contact")?;
        let params: Params = &[&scope.workspace_id, &scope.livemode, &id, &ms(&at)];
        let changed = self.execute(&scope.workspace_id, sql::DELETE_CONTACT, params)?;
        changed_one(changed, "contact", id)
    }

    fn contact(&mut self, scope: &Scope, id: &str) -> Result<Option<Contact>> {
        let params: Params = &[&scope.workspace_id, &scope.livemode, &id];
        self.one(&scope.workspace_id, sql::CONTACT, params, rows::contact)
    }

    fn contact_by_display_id(&mut self, scope: &Scope, display_id: i64) -> Result<Option<Contact>> {
        let params: Params = &[&scope.workspace_id, &scope.livemode, &display_id];
        let sql = sql::CONTACT_BY_DISPLAY_ID;
        self.one(&scope.workspace_id, sql, params, rows::contact)
    }

    fn contact_id_by_email(
        &mut self,
        scope: &Scope,
        customer_id: &str,
        email: &str,
    ) -> Result<Option<String>> {
        let params: Params = &[&scope.workspace_id, &scope.livemode, &customer_id, &email];
        self.one(&scope.workspace_id, sql::CONTACT_ID_BY_EMAIL, params, first)
    }

    fn primary_contact(&mut self, scope: &Scope, customer_id: &str) -> Result<Option<Contact>> {
        let params: Params = &[&scope.workspace_id, &scope.livemode, &customer_id];
        self.one(
            &scope.workspace_id,
            sql::PRIMARY_CONTACT,
            params,
            rows::contact,
        )
    }

    fn list_contacts(
        &mut self,
        scope: &Scope,
        customer_id: &str,
        page: &PageRequest,
    ) -> Result<Vec<Contact>> {
        let (t, id) = position(page);
        let params: Params = &[
            &scope.workspace_id,
            &scope.livemode,
            &customer_id,
            &t,
            &id,
            &limit(page.limit),
        ];
        self.all(
            &scope.workspace_id,
            sql::LIST_CONTACTS,
            params,
            rows::contact,
        )
    }

    fn insert_onboarding(&mut self, scope: &Scope, onboarding: &Onboarding) -> Result<()> {
        self.check_writable("insert_onboarding")?;
        self.write_onboarding(sql::INSERT_ONBOARDING, scope, onboarding)
            .map(drop)
    }

    fn update_onboarding(&mut self, scope: &Scope, onboarding: &Onboarding) -> Result<()> {
        self.check_writable("update_onboarding")?;
        let changed = self.write_onboarding(sql::UPDATE_ONBOARDING, scope, onboarding)?;
        changed_one(changed, "onboarding", &onboarding.id)
    }

    fn delete_onboarding(&mut self, scope: &Scope, id: &str, at: Timestamp) -> Result<()> {
        self.check_writable("delete_onboarding")?;
        let params: Params = &[&scope.workspace_id, &scope.livemode, &id, &ms(&at)];
        let changed = self.execute(&scope.workspace_id, sql::DELETE_ONBOARDING, params)?;
        changed_one(changed, "onboarding", id)
    }

    fn onboarding(&mut self, scope: &Scope, id: &str) -> Result<Option<Onboarding>> {
        let params: Params = &[&scope.workspace_id, &scope.livemode, &id];
        self.one(
            &scope.workspace_id,
            sql::ONBOARDING,
            params,
            rows::onboarding,
        )
    }

    fn onboarding_by_display_id(
        &mut self,
        scope: &Scope,
        display_id: i64,
    ) -> Result<Option<Onboarding>> {
        let params: Params = &[&scope.workspace_id, &scope.livemode, &display_id];
        let sql = sql::ONBOARDING_BY_DISPLAY_ID;
        self.one(&scope.workspace_id, sql, params, rows::onboarding)
    }

    fn list_onboardings(
        &mut self,
        scope: &Scope,
        filter: &OnboardingFilter,
        page: &PageRequest,
    ) -> Result<Vec<Onboarding>> {
        let sql = if filter.customer_id.is_some() {
            sql::LIST_ONBOARDINGS_BY_CUSTOMER
        } else if filter.phase.is_some() {
            sql::LIST_ONBOARDINGS_BY_PHASE
        } else if filter.state.is_some() {
            sql::LIST_ONBOARDINGS_BY_STATE
        } else {
            sql::LIST_ONBOARDINGS
        };
        let (t, id) = position(page);
        let params: Params = &[
            &scope.workspace_id,
            &scope.livemode,
            &t,
            &id,
            &limit(page.limit),
            &filter.customer_id,
            &filter.phase.map(|p| p.as_str()),
            &filter.state.map(|s| s.as_str()),
        ];
        self.all(&scope.workspace_id, sql, params, rows::onboarding)
    }

    fn customer_onboardings(
        &mut self,
        scope: &Scope,
        customer_id: &str,
    ) -> Result<Vec<Onboarding>> {
        let params: Params = &[&scope.workspace_id, &scope.livemode, &customer_id];
        let sql = sql::CUSTOMER_ONBOARDINGS;
        self.all(&scope.workspace_id, sql, params, rows::onboarding)
    }

    fn insert_transition(&mut self, scope: &Scope, transition: &PhaseTransition) -> Result<()> {
        self.check_writable("insert_transition")?;
        let t = transition;
        self.execute(
            &scope.workspace_id,
            sql::INSERT_TRANSITION,
            &[
                &scope.workspace_id,
                &scope.livemode,
                &t.id,
                &t.onboarding_id,
                &t.from_phase.as_str(),
                &t.to_phase.as_str(),
                &t.actor,
                &t.reason,
                &ms(&t.created_at),
            ],
        )
        .map(drop)
    }

    fn transitions(&mut self, scope: &Scope, onboarding_id: &str) -> Result<Vec<PhaseTransition>> {
        let params: Params = &[&scope.workspace_id, &scope.livemode, &onboarding_id];
        self.all(
            &scope.workspace_id,
            sql::TRANSITIONS,
            params,
            rows::transition,
        )
    }

    fn append_history(&mut self, scope: &Scope, entry: NewHistoryEntry) -> Result<HistoryEntry> {
        self.check_writable("append_history")?;
        let s = &entry.snapshot;
        let seq: i64 = self
            .one(
                &scope.workspace_id,
                sql::APPEND_HISTORY,
                &[
                    &scope.workspace_id,
                    &scope.livemode,
                    &entry.onboarding_id,
                    &ms(&entry.at),
                    &entry.previous_phase.map(|p| p.as_str()),
                    &s.phase.as_str(),
                    &s.state.as_str(),
                    &ms(&s.started_at),
                    &opt_ms(&s.target_launch_date),
                    &s.csm_id,
                    &s.template_id,
                ],
                first,
            )?
            .ok_or_else(|| Error::internal("appending a history entry returned no seq"))?;
        if seq > 0 {
            self.execute(
                &scope.workspace_id,
                sql::CLOSE_HISTORY,
                &[
                    &scope.workspace_id,
                    &scope.livemode,
                    &entry.onboarding_id,
                    &(seq - 1),
                    &ms(&entry.at),
                ],
            )?;
        }
        Ok(HistoryEntry::new(entry, seq))
    }

    fn onboarding_history(
        &mut self,
        scope: &Scope,
        onboarding_id: &str,
    ) -> Result<Vec<HistoryEntry>> {
        let params: Params = &[&scope.workspace_id, &scope.livemode, &onboarding_id];
        self.all(
            &scope.workspace_id,
            sql::HISTORY,
            params,
            rows::history_entry,
        )
    }

    /// One statement, `sql::REPORT`: the server computes the totals.
    fn onboarding_report(&mut self, scope: &Scope, query: &ReportQuery) -> Result<ReportTotals> {
        let sql = if query.customer_id.is_some() {
            sql::REPORT_FOR_CUSTOMER
        } else {
            sql::REPORT
        };
        let params: Params = &[
            &scope.workspace_id,
            &scope.livemode,
            &ms(&query.as_of),
            &query.customer_id,
            &query.csm_id,
            &query.template_id,
            &query.stalled_after_ms,
        ];
        self.one(&scope.workspace_id, sql, params, rows::report_row)?
            .ok_or_else(|| Error::internal("the report query returned no row"))?
            .totals()
    }

    /// The sequence comes from the workspace's `write_locks` row, locked by this transaction
    /// until it commits (`store::postgres`); the first event of the transaction writes it there,
    /// the next ones count on in the transaction ([`PgTx::commit`]).
    fn append_event(&mut self, scope: &Scope, event: NewEvent) -> Result<Event> {
        self.check_writable("append_event")?;
        let counter = self.sequence(&scope.workspace_id)?;
        counter.value += 1;
        let sequence = counter.value;
        let sql = match counter.stored {
            None => sql::APPEND_EVENT,
            Some(_) => sql::INSERT_EVENT,
        };
        counter.stored.get_or_insert(sequence);
        // Nothing here needs its answer: it goes with the transaction's next statement, or its
        // COMMIT, and a failure fails that one (`Connection::defer`).
        let params: Vec<Box<dyn ToSql + Sync + Send>> = vec![
            Box::new(scope.workspace_id.clone()),
            Box::new(scope.livemode),
            Box::new(event.id.clone()),
            Box::new(event.event_type.as_str()),
            Box::new(event.object_id.clone()),
            Box::new(event.customer_id.clone()),
            Box::new(ms(&event.created_at)),
            Box::new(event.actor.clone()),
            Box::new(json(&event.data)?),
            Box::new(sequence),
        ];
        self.conn.defer(sql, params)?;
        Ok(Event {
            id: event.id,
            sequence,
            event_type: event.event_type,
            created_at: event.created_at,
            org_id: scope.workspace_id.clone(),
            livemode: scope.livemode,
            api_version: API_VERSION.to_owned(),
            actor: event.actor,
            data: event.data,
        })
    }

    fn list_events(&mut self, scope: &Scope, filter: &EventFilter) -> Result<Vec<Event>> {
        let types: Option<Vec<&str>> =
            (!filter.types.is_empty()).then(|| filter.types.iter().map(|t| t.as_str()).collect());
        let sql = if filter.object_id.is_some() {
            sql::EVENTS_BY_OBJECT
        } else {
            sql::EVENTS
        };
        let params: Params = &[
            &scope.workspace_id,
            &scope.livemode,
            &filter.after_sequence.unwrap_or(i64::MIN),
            &types,
            &filter.object_id,
            &limit(filter.limit),
        ];
        self.all(&scope.workspace_id, sql, params, rows::event)
    }

    fn timeline(
        &mut self,
        scope: &Scope,
        customer_id: &str,
        cursor: Option<&TimelineCursor>,
        limit: usize,
    ) -> Result<Vec<Event>> {
        let (before_sequence, before_ms) = match cursor {
            None => (i64::MAX, i64::MAX),
            Some(TimelineCursor::OlderThan(t)) => (i64::MAX, ms(t)),
            Some(TimelineCursor::BeforeSequence(s)) => (*s, i64::MAX),
        };
        let params: Params = &[
            &scope.workspace_id,
            &scope.livemode,
            &customer_id,
            &before_sequence,
            &before_ms,
            &self::limit(limit),
        ];
        self.all(&scope.workspace_id, sql::TIMELINE, params, rows::event)
    }

    fn idempotency_entry(
        &mut self,
        scope: &Scope,
        operation: &str,
        key: &str,
    ) -> Result<Option<IdempotencyEntry>> {
        let params: Params = &[&scope.workspace_id, &scope.livemode, &operation, &key];
        let read = rows::idempotency_entry;
        self.one(&scope.workspace_id, sql::IDEMPOTENCY_ENTRY, params, read)
    }

    fn put_idempotency_entry(
        &mut self,
        scope: &Scope,
        operation: &str,
        key: &str,
        entry: &IdempotencyEntry,
    ) -> Result<()> {
        self.check_writable("put_idempotency_entry")?;
        self.execute(
            &scope.workspace_id,
            sql::PUT_IDEMPOTENCY_ENTRY,
            &[
                &scope.workspace_id,
                &scope.livemode,
                &operation,
                &key,
                &entry.fingerprint,
                &entry.response,
                &ms(&entry.created_at),
            ],
        )
        .map(drop)
    }

    fn forget_idempotency_entries(
        &mut self,
        scope: &Scope,
        before: Timestamp,
        limit_to: usize,
    ) -> Result<usize> {
        self.check_writable("forget_idempotency_entries")?;
        let params: Params = &[
            &scope.workspace_id,
            &scope.livemode,
            &ms(&before),
            &limit(limit_to),
        ];
        let sql = sql::FORGET_IDEMPOTENCY_ENTRIES;
        let forgot = self.execute(&scope.workspace_id, sql, params)?;
        Ok(usize::try_from(forgot).unwrap_or(usize::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EventType;
    use crate::store::conformance::fixtures::{new_event, setup, t};
    use crate::store::postgres::testing::fresh_store;
    use crate::store::StoreExt;

    /// A transaction taking many numbers writes each counter row at the first use and once more
    /// before COMMIT, not once per number (each update of a row lengthens the chain of versions
    /// the next one walks), in the round trip of COMMIT; the next transaction goes on from the
    /// flushed values.
    #[test]
    #[ignore = "needs PostgreSQL: make pg-test"]
    fn counters_are_written_at_first_use_and_once_before_commit() {
        let store = fresh_store();
        let (scope, _, _) = setup(&store);
        let ws = scope.workspace_id.clone();
        let mut lease = store.connect().expect("a connection");
        lease.conn().begin("BEGIN");
        let mut tx = PgTx::new(lease.conn(), true);
        let in_rows = |tx: &mut PgTx| -> (i64, i64) {
            let conn = &mut *tx.conn;
            // What the transaction deferred (its events) first, as its next statement would.
            conn.send_deferred().unwrap();
            let row = conn
                .driver
                .block_on(conn.client.query_one(
                    "SELECT (SELECT value FROM counters WHERE workspace_id = $1 AND kind = 'customer'),
                            (SELECT sequence FROM write_locks WHERE workspace_id = $1)",
                    &[&ws],
                ))
                .unwrap();
            (row.get(0), row.get(1))
        };
        for n in 1..=1000 {
            assert_eq!(tx.next_display_id(&ws, DisplayKind::Customer).unwrap(), n);
        }
        for n in 1..=3 {
            let id = format!("evt_{n}");
            let event = new_event(&id, EventType::CustomerCreated, "cus_1", "cus_1", t(n));
            assert_eq!(tx.append_event(&scope, event).unwrap().sequence, n);
        }
        assert_eq!(
            in_rows(&mut tx),
            (1, 1),
            "only the first use wrote the rows"
        );
        tx.commit().unwrap();
        assert_eq!(
            in_rows(&mut tx),
            (1000, 3),
            "the commit wrote the last values"
        );
        lease.give_back();

        let next = store.write_with(|tx| {
            let id = tx.next_display_id(&ws, DisplayKind::Customer)?;
            let event = new_event("evt_4", EventType::CustomerCreated, "cus_1", "cus_1", t(4));
            Ok((id, tx.append_event(&scope, event)?.sequence))
        });
        assert_eq!(next.unwrap(), (1001, 4));
    }
}
