//! Rows to objects and values to columns.
//!
//! Readers take the columns in the order of the `*_columns!` lists in `sql.rs`. A value that does
//! not decode (an unknown enum string, a timestamp out of range, bad JSON) is a conversion error,
//! which `map_err` reports as `storage_corrupt`.

use crate::analytics::{HistoryEntry, Snapshot};
use crate::model::time::from_unix_ms;
use crate::model::{
    ApiKey, Contact, Customer, Event, EventData, Onboarding, PhaseTransition, Timestamp, Workspace,
    API_VERSION,
};
use crate::store::report_row::ReportRow;
use crate::store::{IdempotencyEntry, StoredApiKey};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ValueRef};
use rusqlite::Row;
use serde::de::DeserializeOwned;
use std::str::FromStr;

/// A timestamp stored as INTEGER unix milliseconds.
pub(super) struct Millis(pub(super) Timestamp);

impl FromSql for Millis {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let ms = i64::column_result(value)?;
        from_unix_ms(ms)
            .map(Millis)
            .ok_or(FromSqlError::OutOfRange(ms))
    }
}

/// An enum stored as its wire string.
pub(super) struct Wire<T>(pub(super) T);

impl<T: FromStr> FromSql for Wire<T> {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let s = value.as_str()?;
        s.parse()
            .map(Wire)
            .map_err(|_| FromSqlError::Other(format!("unknown value `{s}`").into()))
    }
}

/// A value stored as JSON text.
pub(super) struct Json<T>(pub(super) T);

impl<T: DeserializeOwned> FromSql for Json<T> {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        crate::store::read_stored_json(value.as_str()?)
            .map(Json)
            .map_err(FromSqlError::other)
    }
}

/// A workspace from `id, slug, name`.
pub(super) fn workspace(row: &Row<'_>) -> rusqlite::Result<Workspace> {
    Ok(Workspace {
        id: row.get(0)?,
        slug: row.get(1)?,
        name: row.get(2)?,
    })
}

/// A customer from `customer_columns!`.
pub(super) fn api_key(row: &Row<'_>) -> rusqlite::Result<ApiKey> {
    Ok(ApiKey {
        id: row.get(0)?,
        name: row.get(1)?,
        prefix: row.get(2)?,
        livemode: row.get(3)?,
        created_at: row.get::<_, Millis>(4)?.0,
        revoked_at: row.get::<_, Option<Millis>>(5)?.map(|t| t.0),
    })
}

pub(super) fn stored_api_key(row: &Row<'_>) -> rusqlite::Result<StoredApiKey> {
    Ok(StoredApiKey {
        key: api_key(row)?,
        workspace_id: row.get(6)?,
        hash: row.get(7)?,
    })
}

pub(super) fn customer(row: &Row<'_>) -> rusqlite::Result<Customer> {
    Ok(Customer {
        id: row.get(0)?,
        display_id: row.get(1)?,
        name: row.get(2)?,
        slug: row.get(3)?,
        domain: row.get(4)?,
        status: row.get::<_, Wire<_>>(5)?.0,
        plan: row.get(6)?,
        mrr: row.get(7)?,
        monthly_orders: row.get(8)?,
        hubspot_company_id: row.get(9)?,
        hubspot_deal_id: row.get(10)?,
        stripe_customer_id: row.get(11)?,
        intercom_company_id: row.get(12)?,
        slack_channel_id: row.get(13)?,
        metadata: row.get::<_, Json<_>>(14)?.0,
        created_at: row.get::<_, Millis>(15)?.0,
        updated_at: row.get::<_, Millis>(16)?.0,
    })
}

/// A contact from `contact_columns!`.
pub(super) fn contact(row: &Row<'_>) -> rusqlite::Result<Contact> {
    Ok(Contact {
        id: row.get(0)?,
        display_id: row.get(1)?,
        customer_id: row.get(2)?,
        name: row.get(3)?,
        email: row.get(4)?,
        title: row.get(5)?,
        phone: row.get(6)?,
        is_primary: row.get(7)?,
        labels: row.get::<_, Json<_>>(8)?.0,
        created_at: row.get::<_, Millis>(9)?.0,
        updated_at: row.get::<_, Millis>(10)?.0,
    })
}

/// An onboarding from `onboarding_columns!`.
pub(super) fn onboarding(row: &Row<'_>) -> rusqlite::Result<Onboarding> {
    Ok(Onboarding {
        id: row.get(0)?,
        display_id: row.get(1)?,
        customer_id: row.get(2)?,
        template_id: row.get(3)?,
        phase: row.get::<_, Wire<_>>(4)?.0,
        state: row.get::<_, Wire<_>>(5)?.0,
        started_at: row.get::<_, Millis>(6)?.0,
        completed_at: row.get::<_, Option<Millis>>(7)?.map(|t| t.0),
        target_launch_date: row.get::<_, Option<Millis>>(8)?.map(|t| t.0),
        csm_id: row.get(9)?,
        se_id: row.get(10)?,
        designer_id: row.get(11)?,
        product_ops_id: row.get(12)?,
        notes: row.get(13)?,
        waiting_on_customer: row.get(14)?,
        waiting_on_customer_since: row.get::<_, Option<Millis>>(15)?.map(|t| t.0),
        wizard_completed_at: row.get::<_, Option<Millis>>(16)?.map(|t| t.0),
        reminder_email: row.get(17)?,
        reminder_slack: row.get(18)?,
        reminder_frequency_days: row.get(19)?,
        created_at: row.get::<_, Millis>(20)?.0,
        updated_at: row.get::<_, Millis>(21)?.0,
    })
}

/// A phase transition from `id, onboarding_id, from_phase, to_phase, actor, reason, created_at`.
pub(super) fn transition(row: &Row<'_>) -> rusqlite::Result<PhaseTransition> {
    Ok(PhaseTransition {
        id: row.get(0)?,
        onboarding_id: row.get(1)?,
        from_phase: row.get::<_, Wire<_>>(2)?.0,
        to_phase: row.get::<_, Wire<_>>(3)?.0,
        actor: row.get(4)?,
        reason: row.get(5)?,
        created_at: row.get::<_, Millis>(6)?.0,
    })
}

/// A history entry from `history_columns!`.
pub(super) fn history_entry(row: &Row<'_>) -> rusqlite::Result<HistoryEntry> {
    Ok(HistoryEntry {
        onboarding_id: row.get(0)?,
        seq: row.get(1)?,
        at: row.get::<_, Millis>(2)?.0,
        until: row.get::<_, Option<Millis>>(3)?.map(|t| t.0),
        previous_phase: row.get::<_, Option<Wire<_>>>(4)?.map(|p| p.0),
        snapshot: Snapshot {
            phase: row.get::<_, Wire<_>>(5)?.0,
            state: row.get::<_, Wire<_>>(6)?.0,
            started_at: row.get::<_, Millis>(7)?.0,
            target_launch_date: row.get::<_, Option<Millis>>(8)?.map(|t| t.0),
            csm_id: row.get(9)?,
            template_id: row.get(10)?,
        },
    })
}

/// An event from `event_columns!`.
pub(super) fn event(row: &Row<'_>) -> rusqlite::Result<Event> {
    Ok(Event {
        id: row.get(0)?,
        sequence: row.get(1)?,
        event_type: row.get::<_, Wire<_>>(2)?.0,
        created_at: row.get::<_, Millis>(3)?.0,
        org_id: row.get(4)?,
        livemode: row.get(5)?,
        api_version: API_VERSION.to_owned(),
        actor: row.get(6)?,
        data: row.get::<_, Json<EventData>>(7)?.0,
    })
}

/// An idempotency entry from `fingerprint, response, created_at`.
pub(super) fn idempotency_entry(row: &Row<'_>) -> rusqlite::Result<IdempotencyEntry> {
    Ok(IdempotencyEntry {
        fingerprint: row.get(0)?,
        response: row.get(1)?,
        created_at: row.get::<_, Millis>(2)?.0,
    })
}

/// The row of `sql::REPORT`.
pub(super) fn report_row(row: &Row<'_>) -> rusqlite::Result<ReportRow> {
    Ok(ReportRow {
        total: row.get(0)?,
        by_phase: row.get(1)?,
        by_state: row.get(2)?,
        launched: row.get(3)?,
        launched_with_target: row.get(4)?,
        launched_on_time: row.get(5)?,
        overdue: row.get(6)?,
        at_risk: row.get(7)?,
        stalled: row.get(8)?,
        time_to_launch: row.get(9)?,
        sla_time_to_launch: row.get(10)?,
    })
}
