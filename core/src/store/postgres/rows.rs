//! Rows to objects. Readers take the columns in the order of the `*_columns!` lists in `sql.rs`
//! (the order of the SQLite store's). A value that does not decode (an unknown enum string, a
//! timestamp out of range, bad JSON) is `storage_corrupt`.

use super::error::map_err;
use super::text::Unescaped;
use crate::analytics::{HistoryEntry, Snapshot};
use crate::error::{Error, ErrorCode, Result};
use crate::model::time::from_unix_ms;
use crate::model::{
    ApiKey, Contact, Customer, Event, Onboarding, PhaseTransition, Timestamp, Workspace,
    API_VERSION,
};
use crate::store::report_row::ReportRow;
use crate::store::{IdempotencyEntry, StoredApiKey};
use serde::de::DeserializeOwned;
use std::str::FromStr;
use tokio_postgres::types::FromSql;
use tokio_postgres::Row;

fn corrupt(message: String) -> Error {
    Error::new(ErrorCode::StorageCorrupt, message)
}

/// A column's value; text is unescaped (`text`).
pub(super) fn get<T: Column>(row: &Row, i: usize) -> Result<T> {
    T::read(row, i)
}

/// A type a column is read as.
pub(super) trait Column: Sized {
    fn read(row: &Row, i: usize) -> Result<Self>;
}

fn plain<'a, T: FromSql<'a>>(row: &'a Row, i: usize) -> Result<T> {
    row.try_get(i).map_err(map_err)
}

impl Column for String {
    fn read(row: &Row, i: usize) -> Result<Self> {
        plain::<Unescaped>(row, i).map(|t| t.0)
    }
}

impl Column for Option<String> {
    fn read(row: &Row, i: usize) -> Result<Self> {
        plain::<Option<Unescaped>>(row, i).map(|t| t.map(|t| t.0))
    }
}

macro_rules! plain_columns {
    ($($t:ty),*) => {
        $(impl Column for $t {
            fn read(row: &Row, i: usize) -> Result<Self> {
                plain(row, i)
            }
        })*
    };
}

plain_columns!(i64, Option<i64>, bool);

/// A timestamp stored as BIGINT unix milliseconds.
fn time(row: &Row, i: usize) -> Result<Timestamp> {
    let ms: i64 = get(row, i)?;
    from_unix_ms(ms).ok_or_else(|| corrupt(format!("timestamp {ms} out of range")))
}

fn opt_time(row: &Row, i: usize) -> Result<Option<Timestamp>> {
    match get::<Option<i64>>(row, i)? {
        None => Ok(None),
        Some(_) => time(row, i).map(Some),
    }
}

/// An enum stored as its wire string.
fn wire<T: FromStr>(row: &Row, i: usize) -> Result<T> {
    let s: String = get(row, i)?;
    s.parse()
        .map_err(|_| corrupt(format!("unknown value `{s}`")))
}

fn opt_wire<T: FromStr>(row: &Row, i: usize) -> Result<Option<T>> {
    match get::<Option<String>>(row, i)? {
        None => Ok(None),
        Some(_) => wire(row, i).map(Some),
    }
}

/// A value stored as JSON text.
fn json<T: DeserializeOwned>(row: &Row, i: usize) -> Result<T> {
    crate::store::read_stored_json(&get::<String>(row, i)?)
        .map_err(|e| corrupt(format!("stored JSON does not decode: {e}")))
}

/// A workspace from `id, slug, name`.
pub(super) fn workspace(row: &Row) -> Result<Workspace> {
    Ok(Workspace {
        id: get(row, 0)?,
        slug: get(row, 1)?,
        name: get(row, 2)?,
    })
}

/// An API key from `id, name, prefix, livemode, created_at, revoked_at`.
pub(super) fn api_key(row: &Row) -> Result<ApiKey> {
    Ok(ApiKey {
        id: get(row, 0)?,
        name: get(row, 1)?,
        prefix: get(row, 2)?,
        livemode: get(row, 3)?,
        created_at: time(row, 4)?,
        revoked_at: opt_time(row, 5)?,
    })
}

/// An API key's columns, then `workspace_id, hash`.
pub(super) fn stored_api_key(row: &Row) -> Result<StoredApiKey> {
    Ok(StoredApiKey {
        key: api_key(row)?,
        workspace_id: get(row, 6)?,
        hash: get(row, 7)?,
    })
}

/// A customer from `customer_columns!`.
pub(super) fn customer(row: &Row) -> Result<Customer> {
    Ok(Customer {
        id: get(row, 0)?,
        display_id: get(row, 1)?,
        name: get(row, 2)?,
        slug: get(row, 3)?,
        domain: get(row, 4)?,
        status: wire(row, 5)?,
        plan: get(row, 6)?,
        mrr: get(row, 7)?,
        monthly_orders: get(row, 8)?,
        hubspot_company_id: get(row, 9)?,
        hubspot_deal_id: get(row, 10)?,
        stripe_customer_id: get(row, 11)?,
        intercom_company_id: get(row, 12)?,
        slack_channel_id: get(row, 13)?,
        metadata: json(row, 14)?,
        created_at: time(row, 15)?,
        updated_at: time(row, 16)?,
    })
}

/// A contact from `contact_columns!`.
pub(super) fn contact(row: &Row) -> Result<Contact> {
    Ok(Contact {
        id: get(row, 0)?,
        display_id: get(row, 1)?,
        customer_id: get(row, 2)?,
        name: get(row, 3)?,
        email: get(row, 4)?,
        title: get(row, 5)?,
        phone: get(row, 6)?,
        is_primary: get(row, 7)?,
        labels: json(row, 8)?,
        created_at: time(row, 9)?,
        updated_at: time(row, 10)?,
    })
}

/// An onboarding from `onboarding_columns!`.
pub(super) fn onboarding(row: &Row) -> Result<Onboarding> {
    Ok(Onboarding {
        id: get(row, 0)?,
        display_id: get(row, 1)?,
        customer_id: get(row, 2)?,
        template_id: get(row, 3)?,
        phase: wire(row, 4)?,
        state: wire(row, 5)?,
        started_at: time(row, 6)?,
        completed_at: opt_time(row, 7)?,
        target_launch_date: opt_time(row, 8)?,
        csm_id: get(row, 9)?,
        se_id: get(row, 10)?,
        designer_id: get(row, 11)?,
        product_ops_id: get(row, 12)?,
        notes: get(row, 13)?,
        waiting_on_customer: get(row, 14)?,
        waiting_on_customer_since: opt_time(row, 15)?,
        wizard_completed_at: opt_time(row, 16)?,
        reminder_email: get(row, 17)?,
        reminder_slack: get(row, 18)?,
        reminder_frequency_days: get(row, 19)?,
        created_at: time(row, 20)?,
        updated_at: time(row, 21)?,
    })
}

/// A phase transition from `id, onboarding_id, from_phase, to_phase, actor, reason, created_at`.
pub(super) fn transition(row: &Row) -> Result<PhaseTransition> {
    Ok(PhaseTransition {
        id: get(row, 0)?,
        onboarding_id: get(row, 1)?,
        from_phase: wire(row, 2)?,
        to_phase: wire(row, 3)?,
        actor: get(row, 4)?,
        reason: get(row, 5)?,
        created_at: time(row, 6)?,
    })
}

/// A history entry from `history_columns!`.
pub(super) fn history_entry(row: &Row) -> Result<HistoryEntry> {
    Ok(HistoryEntry {
        onboarding_id: get(row, 0)?,
        seq: get(row, 1)?,
        at: time(row, 2)?,
        until: opt_time(row, 3)?,
        previous_phase: opt_wire(row, 4)?,
        snapshot: Snapshot {
            phase: wire(row, 5)?,
            state: wire(row, 6)?,
            started_at: time(row, 7)?,
            target_launch_date: opt_time(row, 8)?,
            csm_id: get(row, 9)?,
            template_id: get(row, 10)?,
        },
    })
}

/// An event from `event_columns!`.
pub(super) fn event(row: &Row) -> Result<Event> {
    Ok(Event {
        id: get(row, 0)?,
        sequence: get(row, 1)?,
        event_type: wire(row, 2)?,
        created_at: time(row, 3)?,
        org_id: get(row, 4)?,
        livemode: get(row, 5)?,
        api_version: API_VERSION.to_owned(),
        actor: get(row, 6)?,
        data: json(row, 7)?,
    })
}

/// An idempotency entry from `fingerprint, response, created_at`.
pub(super) fn idempotency_entry(row: &Row) -> Result<IdempotencyEntry> {
    Ok(IdempotencyEntry {
        fingerprint: get(row, 0)?,
        response: get(row, 1)?,
        created_at: time(row, 2)?,
    })
}

/// The row of `sql::REPORT`.
pub(super) fn report_row(row: &Row) -> Result<ReportRow> {
    Ok(ReportRow {
        total: get(row, 0)?,
        by_phase: get(row, 1)?,
        by_state: get(row, 2)?,
        launched: get(row, 3)?,
        launched_with_target: get(row, 4)?,
        launched_on_time: get(row, 5)?,
        overdue: get(row, 6)?,
        at_risk: get(row, 7)?,
        stalled: get(row, 8)?,
        time_to_launch: get(row, 9)?,
        sla_time_to_launch: get(row, 10)?,
    })
}
