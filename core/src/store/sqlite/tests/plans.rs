//! Statements and query plans.

use super::*;

/// The query plan of `sql`, one detail line per step.
fn plan(conn: &Connection, sql: &str) -> Vec<String> {
    let mut stmt = conn
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .unwrap_or_else(|e| panic!("{e}: {sql}"));
    let mut rows = stmt.raw_query();
    let mut out = vec![];
    while let Some(row) = rows.next().unwrap() {
        out.push(row.get::<_, String>(3).unwrap());
    }
    out
}

#[test]
fn every_statement_prepares_and_fits_the_cache() {
    let store = SqliteStore::open_in_memory().unwrap();
    let writer = store.lock();
    let conn = &writer.conn;
    let mut seen = std::collections::HashSet::new();
    for sql in sql::ALL {
        assert!(seen.insert(*sql), "listed twice: {sql}");
        conn.prepare(sql).unwrap_or_else(|e| panic!("{e}: {sql}"));
    }
}

#[test]
fn statements_use_indexes_and_never_sort() {
    let store = SqliteStore::open_in_memory().unwrap();
    let writer = store.lock();
    let conn = &writer.conn;
    for sql in sql::ALL {
        if [sql::BEGIN, sql::BEGIN_IMMEDIATE, sql::COMMIT, sql::ROLLBACK].contains(sql)
            || REPORTS.contains(sql)
        {
            continue;
        }
        let steps = plan(conn, sql);
        for step in &steps {
            let small = step.contains("workspaces")
                || step.contains("json_each")
                || step == "SCAN CONSTANT ROW";
            assert!(
                !step.starts_with("SCAN") || small,
                "full scan in {steps:?}\nfor {sql}"
            );
            assert!(
                !step.contains("TEMP B-TREE") || *sql == sql::WORKSPACES,
                "sort in {steps:?}\nfor {sql}"
            );
        }
    }
    let expectations = [
        (sql::CUSTOMER, "sqlite_autoindex_customers_1"),
        (sql::CUSTOMER_BY_DISPLAY_ID, "sqlite_autoindex_customers_2"),
        (sql::CUSTOMER_ID_BY_SLUG, "COVERING INDEX customers_by_slug"),
        (sql::LIST_CUSTOMERS, "customers_list"),
        (sql::LIST_CUSTOMERS_BY_STATUS, "customers_by_status"),
        (sql::LIST_CUSTOMERS_BY_SLUG, "customers_by_slug"),
        (sql::CONTACT, "sqlite_autoindex_contacts_1"),
        (sql::CONTACT_BY_DISPLAY_ID, "sqlite_autoindex_contacts_2"),
        (sql::CONTACT_ID_BY_EMAIL, "COVERING INDEX contacts_by_email"),
        (sql::PRIMARY_CONTACT, "contacts_primary"),
        (sql::LIST_CONTACTS, "contacts_list"),
        (sql::ONBOARDING, "sqlite_autoindex_onboardings_1"),
        (
            sql::ONBOARDING_BY_DISPLAY_ID,
            "sqlite_autoindex_onboardings_2",
        ),
        (sql::LIST_ONBOARDINGS, "onboardings_list"),
        (sql::LIST_ONBOARDINGS_BY_CUSTOMER, "onboardings_by_customer"),
        (sql::LIST_ONBOARDINGS_BY_PHASE, "onboardings_by_phase"),
        (sql::LIST_ONBOARDINGS_BY_STATE, "onboardings_by_state"),
        (sql::CUSTOMER_ONBOARDINGS, "onboardings_by_customer"),
        (sql::TRANSITIONS, "phase_transitions_by_onboarding"),
        (sql::HISTORY, "PRIMARY KEY"),
        (sql::APPEND_HISTORY, "PRIMARY KEY"),
        (sql::CLOSE_HISTORY, "PRIMARY KEY"),
        (
            sql::LAST_SEQUENCE,
            "COVERING INDEX sqlite_autoindex_events_1",
        ),
        (sql::EVENTS, "events_log"),
        (sql::EVENTS_BY_OBJECT, "events_by_object"),
        (sql::TIMELINE, "events_by_customer"),
        (sql::UPDATE_CONTACT, "sqlite_autoindex_customers_1"),
        (sql::DELETE_ONBOARDING, "sqlite_autoindex_customers_1"),
        (
            sql::FORGET_IDEMPOTENCY_ENTRIES,
            "COVERING INDEX idempotency_by_age",
        ),
    ];
    for (sql, index) in expectations {
        let steps = plan(conn, sql);
        assert!(
            steps.iter().any(|s| s.contains(index)),
            "expected {index} in {steps:?}\nfor {sql}"
        );
    }
}

/// The analytics reports: the only statements that read a whole scope, by design.
const REPORTS: [&str; 2] = [sql::REPORT, sql::REPORT_FOR_CUSTOMER];

/// The reports read the history through its primary key (clustered by onboarding, so in order,
/// without a sort) and every other table by key lookups; they scan and sort only their own
/// per-onboarding summaries (`b`, `v`, `o`, and the window that ranks launch durations).
#[test]
fn reports_read_history_in_key_order_and_look_everything_else_up() {
    let store = SqliteStore::open_in_memory().unwrap();
    let writer = store.lock();
    let conn = &writer.conn;
    for sql in REPORTS {
        let steps = plan(conn, sql);
        let base_scan = |step: &&String| {
            ["onboarding_history", "onboardings", "customers"]
                .iter()
                .any(|table| step.starts_with(&format!("SCAN {table}")))
                || step.starts_with("SCAN h")
                || step.starts_with("SCAN k")
                || step.starts_with("SCAN p")
        };
        assert!(
            !steps.iter().any(|s| base_scan(&s)),
            "a table scan in {steps:?}\nfor {sql}"
        );
        assert!(
            steps
                .iter()
                .any(|s| s.starts_with("SEARCH h USING PRIMARY KEY (workspace_id=? AND livemode=?")),
            "the history is not read by its key: {steps:?}"
        );
        for lookup in [
            "sqlite_autoindex_onboardings_1",
            "sqlite_autoindex_customers_1",
        ] {
            assert!(
                steps.iter().any(|s| s.contains(lookup)),
                "expected {lookup} in {steps:?}"
            );
        }
    }
    let steps = plan(conn, sql::REPORT_FOR_CUSTOMER);
    assert!(
        steps.iter().any(|s| s.contains("onboardings_by_customer")),
        "the customer's onboardings drive: {steps:?}"
    );
}
