//! Transactions: [`read`] wraps a closure in a read transaction, [`begin`] and [`body`] serve the
//! writer (`group`), and [`SqliteTx`] implements [`Tx`].

use super::error::map_err;
use super::rows;
use super::sql;
use crate::analytics::{HistoryEntry, NewHistoryEntry, ReportQuery, ReportTotals};
use crate::error::{Error, Result};
use crate::model::{
    ApiKey, Contact, Customer, Event, Onboarding, PhaseTransition, Timestamp, Workspace,
    API_VERSION,
};
use crate::store::sql_values::{changed_one, json, limit, ms, opt_ms, position};
use crate::store::{
    CustomerFilter, DisplayKind, EventFilter, IdempotencyEntry, NewEvent, OnboardingFilter,
    PageRequest, Scope, StoredApiKey, TimelineCursor, Tx,
};
use rusqlite::{params, Connection, OptionalExtension, Params, Row};

/// Runs `f` in a read transaction on `conn` (`BEGIN DEFERRED` … `COMMIT`: one snapshot). Rolls back
/// on any error, and on unwinding; a transaction that an earlier failure left open is abandoned
/// first.
pub(super) fn read(conn: &Connection, f: &mut dyn FnMut(&mut dyn Tx) -> Result<()>) -> Result<()> {
    begin(conn, false)?;
    let _rollback = RollbackOnDrop(conn);
    body(conn, false, f)?;
    execute(conn, sql::COMMIT, []).map(drop)
}

/// Opens a transaction (`BEGIN IMMEDIATE` when `writable`), abandoning one an earlier failure
/// left open.
pub(super) fn begin(conn: &Connection, writable: bool) -> Result<()> {
    rollback_if_open(conn);
    let begin = if writable {
        sql::BEGIN_IMMEDIATE
    } else {
        sql::BEGIN
    };
    execute(conn, begin, []).map(drop)
}

/// Runs `f` in the transaction open on `conn`.
pub(super) fn body(
    conn: &Connection,
    writable: bool,
    f: &mut dyn FnMut(&mut dyn Tx) -> Result<()>,
) -> Result<()> {
    f(&mut SqliteTx {
        conn,
        writable,
        last_event: None,
    })
}

/// Rolls back the connection's open transaction, if any, when dropped.
struct RollbackOnDrop<'c>(&'c Connection);

impl Drop for RollbackOnDrop<'_> {
    fn drop(&mut self) {
        rollback_if_open(self.0);
    }
}

/// Rolls back the open transaction, if any; a failure here is reported by the next `BEGIN`.
pub(super) fn rollback_if_open(conn: &Connection) {
    if !conn.is_autocommit() {
        let _ = execute(conn, sql::ROLLBACK, []);
    }
}

pub(super) fn execute(conn: &Connection, sql: &str, params: impl Params) -> Result<usize> {
    conn.prepare_cached(sql)
        .and_then(|mut stmt| stmt.execute(params))
        .map_err(map_err)
}

/// The [`Tx`] of one transaction. In a read transaction every mutating method fails.
struct SqliteTx<'c> {
    conn: &'c Connection,
    writable: bool,
    /// The workspace and sequence of the last event this transaction appended: the next event
    /// of that workspace takes the next number without looking up the log's end again.
    last_event: Option<(String, i64)>,
}

type Reader<T> = fn(&Row<'_>) -> rusqlite::Result<T>;

impl SqliteTx<'_> {
    fn execute(&self, sql: &str, params: impl Params) -> Result<usize> {
        execute(self.conn, sql, params)
    }

    fn one<T>(&self, sql: &str, params: impl Params, read: Reader<T>) -> Result<Option<T>> {
        self.conn
            .prepare_cached(sql)
            .and_then(|mut stmt| stmt.query_row(params, read).optional())
            .map_err(map_err)
    }

    fn all<T>(&self, sql: &str, params: impl Params, read: Reader<T>) -> Result<Vec<T>> {
        self.conn
            .prepare_cached(sql)
            .and_then(|mut stmt| stmt.query_map(params, read)?.collect())
            .map_err(map_err)
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
    fn write_customer(&self, sql: &str, scope: &Scope, c: &Customer) -> Result<usize> {
        self.execute(
            sql,
            params![
                scope.workspace_id,
                scope.livemode,
                c.id,
                c.display_id,
                c.name,
                c.slug,
                c.domain,
                c.status.as_str(),
                c.plan,
                c.mrr,
                c.monthly_orders,
                c.hubspot_company_id,
                c.hubspot_deal_id,
                c.stripe_customer_id,
                c.intercom_company_id,
                c.slack_channel_id,
                json(&c.metadata)?,
                ms(&c.created_at),
                ms(&c.updated_at),
            ],
        )
    }

    /// Runs [`sql::INSERT_CONTACT`] or [`sql::UPDATE_CONTACT`].
    fn write_contact(&self, sql: &str, scope: &Scope, k: &Contact) -> Result<usize> {
        self.execute(
            sql,
            params![
                scope.workspace_id,
                scope.livemode,
                k.id,
                k.display_id,
                k.customer_id,
                k.name,
                k.email,
                k.title,
                k.phone,
                k.is_primary,
                json(&k.labels)?,
                ms(&k.created_at),
                ms(&k.updated_at),
            ],
        )
    }

    /// Runs [`sql::INSERT_ONBOARDING`] or [`sql::UPDATE_ONBOARDING`].
    fn write_onboarding(&self, sql: &str, scope: &Scope, o: &Onboarding) -> Result<usize> {
        self.execute(
            sql,
            params![
                scope.workspace_id,
                scope.livemode,
                o.id,
                o.display_id,
                o.customer_id,
                o.template_id,
                o.phase.as_str(),
                o.state.as_str(),
                ms(&o.started_at),
                opt_ms(&o.completed_at),
                opt_ms(&o.target_launch_date),
                o.csm_id,
                o.se_id,
                o.designer_id,
                o.product_ops_id,
                o.notes,
                o.waiting_on_customer,
                opt_ms(&o.waiting_on_customer_since),
                opt_ms(&o.wizard_completed_at),
                o.reminder_email,
                o.reminder_slack,
                o.reminder_frequency_days,
                ms(&o.created_at),
                ms(&o.updated_at),
            ],
        )
    }
}

impl Tx for SqliteTx<'_> {
    fn workspace(&mut self, id: &str) -> Result<Option<Workspace>> {
        self.one(sql::WORKSPACE, [id], rows::workspace)
    }

    fn workspace_by_slug(&mut self, slug: &str) -> Result<Option<Workspace>> {
        self.one(sql::WORKSPACE_BY_SLUG, [slug], rows::workspace)
    }

    fn insert_workspace(&mut self, workspace: &Workspace, created_at: Timestamp) -> Result<()> {
        self.check_writable("insert_workspace")?;
        self.execute(
            sql::INSERT_WORKSPACE,
            params![
                workspace.id,
                workspace.slug,
                workspace.name,
                ms(&created_at)
            ],
        )
        .map(drop)
    }

    fn workspaces(&mut self) -> Result<Vec<Workspace>> {
        self.all(sql::WORKSPACES, [], rows::workspace)
    }

    fn next_display_id(&mut self, workspace_id: &str, kind: DisplayKind) -> Result<i64> {
        self.check_writable("next_display_id")?;
        self.one(sql::NEXT_DISPLAY_ID, [workspace_id, kind.as_str()], |r| {
            r.get(0)
        })?
        .ok_or_else(|| Error::internal("the display-id counter returned nothing"))
    }

    fn raise_display_id(
        &mut self,
        workspace_id: &str,
        kind: DisplayKind,
        value: i64,
    ) -> Result<()> {
        self.check_writable("raise_display_id")?;
        let params = params![workspace_id, kind.as_str(), value];
        self.execute(sql::RAISE_DISPLAY_ID, params).map(drop)
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
        self.one(sql, params![workspace_id, display_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
    }

    fn record_exists(&mut self, scope: &Scope, kind: DisplayKind, id: &str) -> Result<bool> {
        let sql = match kind {
            DisplayKind::Customer => sql::CUSTOMER_EXISTS,
            DisplayKind::Contact => sql::CONTACT_EXISTS,
            DisplayKind::Onboarding => sql::ONBOARDING_EXISTS,
        };
        let params = params![scope.workspace_id, scope.livemode, id];
        Ok(self.one(sql, params, |r| r.get::<_, i64>(0))?.is_some())
    }

    fn insert_api_key(&mut self, scope: &Scope, key: &ApiKey, hash: &str) -> Result<()> {
        self.check_writable("insert_api_key")?;
        let params = params![
            scope.workspace_id,
            scope.livemode,
            key.id,
            key.name,
            key.prefix,
            hash,
            ms(&key.created_at)
        ];
        self.execute(sql::INSERT_API_KEY, params).map(drop)
    }

    fn api_keys(&mut self, scope: &Scope) -> Result<Vec<ApiKey>> {
        let params = params![scope.workspace_id, scope.livemode];
        self.all(sql::API_KEYS, params, rows::api_key)
    }

    fn api_key(&mut self, scope: &Scope, id: &str) -> Result<Option<ApiKey>> {
        let params = params![scope.workspace_id, scope.livemode, id];
        self.one(sql::API_KEY, params, rows::api_key)
    }

    fn revoke_api_key(&mut self, scope: &Scope, id: &str, at: Timestamp) -> Result<()> {
        self.check_writable("revoke_api_key")?;
        let params = params![scope.workspace_id, scope.livemode, id, ms(&at)];
        match self.execute(sql::REVOKE_API_KEY, params)? {
            1 => Ok(()),
            _ => Err(Error::internal(format!("api key {id} does not exist"))),
        }
    }

    fn api_keys_by_prefix(&mut self, prefix: &str) -> Result<Vec<StoredApiKey>> {
        self.all(sql::API_KEYS_BY_PREFIX, [prefix], rows::stored_api_key)
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
        let changed = self.execute(
            sql::DELETE_CUSTOMER,
            params![scope.workspace_id, scope.livemode, id, ms(&at)],
        )?;
        changed_one(changed, "customer", id)
    }

    fn customer(&mut self, scope: &Scope, id: &str) -> Result<Option<Customer>> {
        self.one(
            sql::CUSTOMER,
            params![scope.workspace_id, scope.livemode, id],
            rows::customer,
        )
    }

    fn customer_by_display_id(
        &mut self,
        scope: &Scope,
        display_id: i64,
    ) -> Result<Option<Customer>> {
        self.one(
            sql::CUSTOMER_BY_DISPLAY_ID,
            params![scope.workspace_id, scope.livemode, display_id],
            rows::customer,
        )
    }

    fn customer_id_by_slug(&mut self, scope: &Scope, slug: &str) -> Result<Option<String>> {
        self.one(
            sql::CUSTOMER_ID_BY_SLUG,
            params![scope.workspace_id, scope.livemode, slug],
            |r| r.get(0),
        )
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
        self.all(
            sql,
            params![
                scope.workspace_id,
                scope.livemode,
                t,
                id,
                limit(page.limit),
                filter.status.map(|s| s.as_str()),
                filter.slug,
            ],
            rows::customer,
        )
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
        let changed = self.execute(
            sql::DELETE_CONTACT,
            params![scope.workspace_id, scope.livemode, id, ms(&at)],
        )?;
        changed_one(changed, "contact", id)
    }

    fn contact(&mut self, scope: &Scope, id: &str) -> Result<Option<Contact>> {
        self.one(
            sql::CONTACT,
            params![scope.workspace_id, scope.livemode, id],
            rows::contact,
        )
    }

    fn contact_by_display_id(&mut self, scope: &Scope, display_id: i64) -> Result<Option<Contact>> {
        self.one(
            sql::CONTACT_BY_DISPLAY_ID,
            params![scope.workspace_id, scope.livemode, display_id],
            rows::contact,
        )
    }

    fn contact_id_by_email(
        &mut self,
        scope: &Scope,
        customer_id: &str,
        email: &str,
    ) -> Result<Option<String>> {
        self.one(
            sql::CONTACT_ID_BY_EMAIL,
            params![scope.workspace_id, scope.livemode, customer_id, email],
            |r| r.get(0),
        )
    }

    fn primary_contact(&mut self, scope: &Scope, customer_id: &str) -> Result<Option<Contact>> {
        self.one(
            sql::PRIMARY_CONTACT,
            params![scope.workspace_id, scope.livemode, customer_id],
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
        self.all(
            sql::LIST_CONTACTS,
            params![
                scope.workspace_id,
                scope.livemode,
                customer_id,
                t,
                id,
                limit(page.limit),
            ],
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
        let changed = self.execute(
            sql::DELETE_ONBOARDING,
            params![scope.workspace_id, scope.livemode, id, ms(&at)],
        )?;
        changed_one(changed, "onboarding", id)
    }

    fn onboarding(&mut self, scope: &Scope, id: &str) -> Result<Option<Onboarding>> {
        self.one(
            sql::ONBOARDING,
            params![scope.workspace_id, scope.livemode, id],
            rows::onboarding,
        )
    }

    fn onboarding_by_display_id(
        &mut self,
        scope: &Scope,
        display_id: i64,
    ) -> Result<Option<Onboarding>> {
        self.one(
            sql::ONBOARDING_BY_DISPLAY_ID,
            params![scope.workspace_id, scope.livemode, display_id],
            rows::onboarding,
        )
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
        self.all(
            sql,
            params![
                scope.workspace_id,
                scope.livemode,
                t,
                id,
                limit(page.limit),
                filter.customer_id,
                filter.phase.map(|p| p.as_str()),
                filter.state.map(|s| s.as_str()),
            ],
            rows::onboarding,
        )
    }

    fn customer_onboardings(
        &mut self,
        scope: &Scope,
        customer_id: &str,
    ) -> Result<Vec<Onboarding>> {
        self.all(
            sql::CUSTOMER_ONBOARDINGS,
            params![scope.workspace_id, scope.livemode, customer_id],
            rows::onboarding,
        )
    }

    fn insert_transition(&mut self, scope: &Scope, transition: &PhaseTransition) -> Result<()> {
        self.check_writable("insert_transition")?;
        let t = transition;
        self.execute(
            sql::INSERT_TRANSITION,
            params![
                scope.workspace_id,
                scope.livemode,
                t.id,
                t.onboarding_id,
                t.from_phase.as_str(),
                t.to_phase.as_str(),
                t.actor,
                t.reason,
                ms(&t.created_at),
            ],
        )
        .map(drop)
    }

    fn transitions(&mut self, scope: &Scope, onboarding_id: &str) -> Result<Vec<PhaseTransition>> {
        self.all(
            sql::TRANSITIONS,
            params![scope.workspace_id, scope.livemode, onboarding_id],
            rows::transition,
        )
    }

    fn append_history(&mut self, scope: &Scope, entry: NewHistoryEntry) -> Result<HistoryEntry> {
        self.check_writable("append_history")?;
        let s = &entry.snapshot;
        let seq: i64 = self
            .one(
                sql::APPEND_HISTORY,
                params![
                    scope.workspace_id,
                    scope.livemode,
                    entry.onboarding_id,
                    ms(&entry.at),
                    entry.previous_phase.map(|p| p.as_str()),
                    s.phase.as_str(),
                    s.state.as_str(),
                    ms(&s.started_at),
                    opt_ms(&s.target_launch_date),
                    s.csm_id,
                    s.template_id,
                ],
                |r| r.get(0),
            )?
            .ok_or_else(|| Error::internal("appending a history entry returned no seq"))?;
        if seq > 0 {
            self.execute(
                sql::CLOSE_HISTORY,
                params![
                    scope.workspace_id,
                    scope.livemode,
                    entry.onboarding_id,
                    seq - 1,
                    ms(&entry.at)
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
        self.all(
            sql::HISTORY,
            params![scope.workspace_id, scope.livemode, onboarding_id],
            rows::history_entry,
        )
    }

    fn onboarding_report(&mut self, scope: &Scope, query: &ReportQuery) -> Result<ReportTotals> {
        let sql = if query.customer_id.is_some() {
            sql::REPORT_FOR_CUSTOMER
        } else {
            sql::REPORT
        };
        let row = self
            .one(
                sql,
                params![
                    scope.workspace_id,
                    scope.livemode,
                    ms(&query.as_of),
                    query.customer_id,
                    query.csm_id,
                    query.template_id,
                    query.stalled_after_ms,
                ],
                rows::report_row,
            )?
            .ok_or_else(|| Error::internal("the report query returned no row"))?;
        row.totals()
    }

    fn append_event(&mut self, scope: &Scope, event: NewEvent) -> Result<Event> {
        self.check_writable("append_event")?;
        let last = match &self.last_event {
            Some((workspace, sequence)) if *workspace == scope.workspace_id => *sequence,
            _ => self
                .one(sql::LAST_SEQUENCE, params![scope.workspace_id], |r| {
                    r.get(0)
                })?
                .unwrap_or(0),
        };
        let sequence = last + 1;
        self.execute(
            sql::APPEND_EVENT,
            params![
                scope.workspace_id,
                scope.livemode,
                sequence,
                event.id,
                event.event_type.as_str(),
                event.object_id,
                event.customer_id,
                ms(&event.created_at),
                event.actor,
                json(&event.data)?,
            ],
        )?;
        self.last_event = Some((scope.workspace_id.clone(), sequence));
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
        let types = if filter.types.is_empty() {
            None
        } else {
            let names: Vec<&str> = filter.types.iter().map(|t| t.as_str()).collect();
            Some(json(&names)?)
        };
        let sql = if filter.object_id.is_some() {
            sql::EVENTS_BY_OBJECT
        } else {
            sql::EVENTS
        };
        self.all(
            sql,
            params![
                scope.workspace_id,
                scope.livemode,
                filter.after_sequence.unwrap_or(i64::MIN),
                types,
                filter.object_id,
                limit(filter.limit),
            ],
            rows::event,
        )
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
        self.all(
            sql::TIMELINE,
            params![
                scope.workspace_id,
                scope.livemode,
                customer_id,
                before_sequence,
                before_ms,
                self::limit(limit),
            ],
            rows::event,
        )
    }

    fn idempotency_entry(
        &mut self,
        scope: &Scope,
        operation: &str,
        key: &str,
    ) -> Result<Option<IdempotencyEntry>> {
        self.one(
            sql::IDEMPOTENCY_ENTRY,
            params![scope.workspace_id, scope.livemode, operation, key],
            rows::idempotency_entry,
        )
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
            sql::PUT_IDEMPOTENCY_ENTRY,
            params![
                scope.workspace_id,
                scope.livemode,
                operation,
                key,
                entry.fingerprint,
                entry.response,
                ms(&entry.created_at),
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
        self.execute(
            sql::FORGET_IDEMPOTENCY_ENTRIES,
            params![
                scope.workspace_id,
                scope.livemode,
                ms(&before),
                limit(limit_to)
            ],
        )
    }

    /// `PRAGMA integrity_check`: SQLite's full check of the file's pages, records and indexes
    /// (at most 100 problems).
    fn integrity_problems(&mut self) -> Result<Vec<String>> {
        let answer = self.all("PRAGMA integrity_check(100)", [], |r| r.get::<_, String>(0))?;
        Ok(answer.into_iter().filter(|line| line != "ok").collect())
    }
}
