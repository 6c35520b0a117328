//! The hand-written baseline: what an embedder would write with rusqlite instead of calling the
//! library, doing the same reads and writes for the same operation.
//!
//! Same file, same schema (the library creates it), same pragmas (WAL, `synchronous=NORMAL`,
//! foreign keys on, a 32 MiB page cache, a checkpoint every 10,000 WAL pages), every statement
//! through `prepare_cached`, one transaction per operation (or one for a batch). A create resolves
//! the customer reference, takes the display id from the counter, inserts the record, its history
//! row (onboardings) and its `*.created` event with the same JSON payload (serialised straight to
//! text with serde, no intermediate value); a retrieve or a list reads the same rows with the same
//! visibility rules. What it leaves out is what a
//! hand-written version usually leaves out: input validation beyond what the schema enforces,
//! idempotency, sessions and API keys.
#![allow(dead_code)]

use pivotal_core::model::time::from_unix_ms;
use pivotal_core::{Customer, CustomerParams, CustomerStatus, Onboarding, OnboardingParams, Phase};
use pivotal_core::{State, Timestamp};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;
use std::path::Path;

/// An event payload, `{"object": …, "previous_attributes": null}`, serialised in one pass.
#[derive(Serialize)]
struct Payload<'a, T> {
    object: &'a T,
    previous_attributes: Option<()>,
}

pub struct Baseline {
    conn: Connection,
    workspace_id: String,
    ids: StdRng,
    now: Timestamp,
}

const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";

const CUSTOMER_BY_DISPLAY_ID: &str = "SELECT id FROM customers
    WHERE workspace_id = ?1 AND display_id = ?2 AND livemode = 1 AND deleted_at IS NULL";
const NEXT_DISPLAY_ID: &str = "INSERT INTO counters (workspace_id, kind, value) VALUES (?1, ?2, 1)
    ON CONFLICT (workspace_id, kind) DO UPDATE SET value = value + 1 RETURNING value";
const SLUG_TAKEN: &str = "SELECT 1 FROM customers
    WHERE workspace_id = ?1 AND livemode = 1 AND slug = ?2 AND deleted_at IS NULL";
const INSERT_CUSTOMER: &str = "INSERT INTO customers (workspace_id, livemode, id, display_id,
        name, slug, domain, status, plan, mrr, monthly_orders, metadata, created_at, updated_at)
    VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)";
const INSERT_ONBOARDING: &str = "INSERT INTO onboardings (workspace_id, livemode, id, display_id,
        customer_id, template_id, phase, state, started_at, completed_at, target_launch_date,
        csm_id, se_id, designer_id, product_ops_id, notes, waiting_on_customer,
        waiting_on_customer_since, wizard_completed_at, reminder_email, reminder_slack,
        reminder_frequency_days, created_at, updated_at)
    VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
        ?19, ?20, ?21, ?22, ?22)";
const INSERT_HISTORY: &str = "INSERT INTO onboarding_history (workspace_id, livemode,
        onboarding_id, seq, at, phase, state, started_at, target_launch_date, csm_id, template_id)
    VALUES (?1, 1, ?2, 0, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
const INSERT_EVENT: &str = "INSERT INTO events (workspace_id, livemode, sequence, id, type,
        object_id, customer_id, created_at, actor, data)
    SELECT ?1, 1, coalesce((SELECT max(sequence) FROM events WHERE workspace_id = ?1), 0) + 1,
        ?2, ?3, ?4, ?5, ?6, 'bench', ?7";

const ONBOARDING_COLUMNS: &str = "o.id, o.display_id, o.customer_id, o.template_id, o.phase, \
    o.state, o.started_at, o.completed_at, o.target_launch_date, o.csm_id, o.se_id, \
    o.designer_id, o.product_ops_id, o.notes, o.waiting_on_customer, \
    o.waiting_on_customer_since, o.wizard_completed_at, o.reminder_email, o.reminder_slack, \
    o.reminder_frequency_days, o.created_at, o.updated_at";

fn ms(t: &Timestamp) -> i64 {
    t.timestamp_millis()
}

fn opt_ms(t: &Option<Timestamp>) -> Option<i64> {
    t.as_ref().map(ms)
}

fn ts(ms: i64) -> rusqlite::Result<Timestamp> {
    from_unix_ms(ms).ok_or(rusqlite::Error::IntegralValueOutOfRange(0, ms))
}

fn parse<T: std::str::FromStr>(i: usize, s: String) -> rusqlite::Result<T> {
    s.parse().map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("unknown value {s}").into(),
        )
    })
}

fn onboarding_row(r: &Row<'_>) -> rusqlite::Result<Onboarding> {
    let opt_ts = |i: usize| -> rusqlite::Result<Option<Timestamp>> {
        r.get::<_, Option<i64>>(i)?.map(ts).transpose()
    };
    Ok(Onboarding {
        id: r.get(0)?,
        display_id: r.get(1)?,
        customer_id: r.get(2)?,
        template_id: r.get(3)?,
        phase: parse(4, r.get(4)?)?,
        state: parse(5, r.get(5)?)?,
        started_at: ts(r.get(6)?)?,
        completed_at: opt_ts(7)?,
        target_launch_date: opt_ts(8)?,
        csm_id: r.get(9)?,
        se_id: r.get(10)?,
        designer_id: r.get(11)?,
        product_ops_id: r.get(12)?,
        notes: r.get(13)?,
        waiting_on_customer: r.get(14)?,
        waiting_on_customer_since: opt_ts(15)?,
        wizard_completed_at: opt_ts(16)?,
        reminder_email: r.get(17)?,
        reminder_slack: r.get(18)?,
        reminder_frequency_days: r.get(19)?,
        created_at: ts(r.get(20)?)?,
        updated_at: ts(r.get(21)?)?,
    })
}

impl Baseline {
    /// Opens a file the library created (schema, workspace, maybe customers) with the library's
    /// pragmas.
    pub fn open(path: &Path, now: Timestamp) -> Self {
        let conn = Connection::open(path).expect("the baseline opens the file");
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
             PRAGMA cache_size = -32768; PRAGMA wal_autocheckpoint = 10000;",
        )
        .expect("pragmas");
        conn.set_prepared_statement_cache_capacity(32);
        let workspace_id = conn
            .query_row("SELECT id FROM workspaces ORDER BY seq LIMIT 1", [], |r| {
                r.get(0)
            })
            .expect("the workspace");
        Self {
            conn,
            workspace_id,
            ids: StdRng::seed_from_u64(43),
            now,
        }
    }

    fn id(&mut self, prefix: &str) -> String {
        let mut id = String::with_capacity(prefix.len() + 20);
        id.push_str(prefix);
        for _ in 0..20 {
            id.push(ALPHABET[self.ids.random_range(0..ALPHABET.len())] as char);
        }
        id
    }

    fn begin(&self) {
        self.conn
            .prepare_cached("BEGIN IMMEDIATE")
            .and_then(|mut s| s.execute([]))
            .expect("begin");
    }

    fn commit(&self) {
        self.conn
            .prepare_cached("COMMIT")
            .and_then(|mut s| s.execute([]))
            .expect("commit");
    }

    fn next_display_id(&self, kind: &str) -> i64 {
        self.conn
            .prepare_cached(NEXT_DISPLAY_ID)
            .and_then(|mut s| s.query_row(params![self.workspace_id, kind], |r| r.get(0)))
            .expect("the counter")
    }

    fn event<T: Serialize>(&mut self, event_type: &str, object_id: &str, customer_id: &str, o: &T) {
        let id = self.id("evt_");
        let data = serde_json::to_string(&Payload {
            object: o,
            previous_attributes: None,
        })
        .expect("the payload serialises");
        self.conn
            .prepare_cached(INSERT_EVENT)
            .and_then(|mut s| {
                s.execute(params![
                    self.workspace_id,
                    id,
                    event_type,
                    object_id,
                    customer_id,
                    ms(&self.now),
                    data
                ])
            })
            .expect("the event");
    }

    /// One onboarding, in the open transaction.
    fn insert_onboarding(&mut self, p: &OnboardingParams) -> Onboarding {
        let display: i64 = p.customer_id.parse().expect("a display id");
        let customer_id: String = self
            .conn
            .prepare_cached(CUSTOMER_BY_DISPLAY_ID)
            .and_then(|mut s| {
                s.query_row(params![self.workspace_id, display], |r| r.get(0))
                    .optional()
            })
            .expect("the customer lookup")
            .expect("the customer exists");
        let now = self.now;
        let phase = p.phase.unwrap_or(Phase::BeforeGettingStarted);
        let state = match (p.state, p.waiting_on_customer) {
            (Some(s), _) => s,
            (None, Some(true)) => State::Waiting,
            (None, _) => State::Active,
        };
        let waiting = state == State::Waiting;
        let o = Onboarding {
            id: self.id("onb_"),
            display_id: self.next_display_id("onboarding"),
            customer_id,
            template_id: p.template_id.clone(),
            phase,
            state,
            started_at: p.started_at.unwrap_or(now),
            completed_at: (phase == Phase::Completed).then_some(now),
            target_launch_date: p.target_launch_date,
            csm_id: p.csm_id.clone(),
            se_id: p.se_id.clone(),
            designer_id: p.designer_id.clone(),
            product_ops_id: p.product_ops_id.clone(),
            notes: p.notes.clone(),
            waiting_on_customer: waiting,
            waiting_on_customer_since: waiting.then_some(now),
            wizard_completed_at: p.wizard_completed_at,
            reminder_email: p.reminder_email.unwrap_or(true),
            reminder_slack: p.reminder_slack.unwrap_or(true),
            reminder_frequency_days: p.reminder_frequency_days.unwrap_or(1),
            created_at: now,
            updated_at: now,
        };
        self.conn
            .prepare_cached(INSERT_ONBOARDING)
            .and_then(|mut s| {
                s.execute(params![
                    self.workspace_id,
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
                ])
            })
            .expect("the onboarding row");
        self.conn
            .prepare_cached(INSERT_HISTORY)
            .and_then(|mut s| {
                s.execute(params![
                    self.workspace_id,
                    o.id,
                    ms(&now),
                    o.phase.as_str(),
                    o.state.as_str(),
                    ms(&o.started_at),
                    opt_ms(&o.target_launch_date),
                    o.csm_id,
                    o.template_id,
                ])
            })
            .expect("the history row");
        self.event("onboarding.created", &o.id, &o.customer_id, &o);
        o
    }

    /// One customer, in the open transaction.
    fn insert_customer(&mut self, p: &CustomerParams) -> Customer {
        let display_id = self.next_display_id("customer");
        let slug = p
            .slug
            .clone()
            .unwrap_or_else(|| pivotal_core::validate::derive_slug(&p.name));
        let taken = self
            .conn
            .prepare_cached(SLUG_TAKEN)
            .and_then(|mut s| s.exists(params![self.workspace_id, slug]))
            .expect("the slug check");
        assert!(!taken, "slug {slug} taken");
        let c = Customer {
            id: self.id("cus_"),
            display_id,
            name: p.name.clone(),
            slug,
            domain: p.domain.clone(),
            status: p.status.unwrap_or(CustomerStatus::Onboarding),
            plan: p.plan.clone(),
            mrr: p.mrr,
            monthly_orders: p.monthly_orders,
            hubspot_company_id: None,
            hubspot_deal_id: None,
            stripe_customer_id: None,
            intercom_company_id: None,
            slack_channel_id: None,
            metadata: p.metadata.clone().unwrap_or_default(),
            created_at: self.now,
            updated_at: self.now,
        };
        let metadata = serde_json::to_string(&c.metadata).expect("metadata serialises");
        self.conn
            .prepare_cached(INSERT_CUSTOMER)
            .and_then(|mut s| {
                s.execute(params![
                    self.workspace_id,
                    c.id,
                    c.display_id,
                    c.name,
                    c.slug,
                    c.domain,
                    c.status.as_str(),
                    c.plan,
                    c.mrr,
                    c.monthly_orders,
                    metadata,
                    ms(&c.created_at),
                ])
            })
            .expect("the customer row");
        self.event("customer.created", &c.id, &c.id, &c);
        c
    }

    /// Creates one onboarding in its own transaction.
    pub fn create_onboarding(&mut self, p: &OnboardingParams) -> Onboarding {
        self.begin();
        let o = self.insert_onboarding(p);
        self.commit();
        o
    }

    /// Creates many onboardings in one transaction.
    pub fn create_onboardings(&mut self, ps: &[OnboardingParams]) -> Vec<Onboarding> {
        self.begin();
        let out = ps.iter().map(|p| self.insert_onboarding(p)).collect();
        self.commit();
        out
    }

    /// Creates one customer in its own transaction.
    pub fn create_customer(&mut self, p: &CustomerParams) -> Customer {
        self.begin();
        let c = self.insert_customer(p);
        self.commit();
        c
    }

    /// Creates many customers in one transaction.
    pub fn create_customers(&mut self, ps: &[CustomerParams]) -> Vec<Customer> {
        self.begin();
        let out = ps.iter().map(|p| self.insert_customer(p)).collect();
        self.commit();
        out
    }

    fn read<T>(&self, f: impl FnOnce(&Connection) -> T) -> T {
        self.conn
            .prepare_cached("BEGIN DEFERRED")
            .and_then(|mut s| s.execute([]))
            .expect("begin");
        let out = f(&self.conn);
        self.commit();
        out
    }

    /// A visible onboarding by id (its customer not deleted either), in a read transaction.
    pub fn retrieve_onboarding(&self, id: &str) -> Option<Onboarding> {
        let sql = format!(
            "SELECT {ONBOARDING_COLUMNS} FROM onboardings o
             JOIN customers p ON p.workspace_id = o.workspace_id AND p.livemode = o.livemode
                AND p.id = o.customer_id
             WHERE o.workspace_id = ?1 AND o.livemode = 1 AND o.id = ?2
               AND o.deleted_at IS NULL AND p.deleted_at IS NULL"
        );
        self.read(|conn| {
            conn.prepare_cached(&sql)
                .and_then(|mut s| {
                    s.query_row(params![self.workspace_id, id], onboarding_row)
                        .optional()
                })
                .expect("the retrieve")
        })
    }

    /// The first page (25) of visible onboardings in `phase`, newest first.
    pub fn list_by_phase(&self, phase: Phase) -> Vec<Onboarding> {
        let sql = format!(
            "SELECT {ONBOARDING_COLUMNS} FROM onboardings o
             JOIN customers p ON p.workspace_id = o.workspace_id AND p.livemode = o.livemode
                AND p.id = o.customer_id
             WHERE o.workspace_id = ?1 AND o.livemode = 1 AND o.phase = ?2
               AND o.deleted_at IS NULL AND p.deleted_at IS NULL
             ORDER BY o.created_at DESC, o.id DESC LIMIT 26"
        );
        self.read(|conn| {
            conn.prepare_cached(&sql)
                .and_then(|mut s| {
                    s.query_map(params![self.workspace_id, phase.as_str()], onboarding_row)?
                        .collect()
                })
                .expect("the list")
        })
    }
}
