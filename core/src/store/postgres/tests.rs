//! The store conformance suite on a real PostgreSQL server, each check on a fresh database, and
//! the PostgreSQL store's own tests (see `testing` for the server they need).

use super::testing::{fresh_database, fresh_store, server_url};
use super::PostgresStore;
use postgres::NoTls;

crate::store_conformance_tests!(ignore = "needs PostgreSQL: make pg-test"; || fresh_store());

/// Every statement prepares: the server accepts its syntax and can type every parameter.
#[test]
#[ignore = "needs PostgreSQL: make pg-test"]
fn every_statement_prepares() {
    let url = fresh_database();
    PostgresStore::open(&url).expect("the store opens");
    let mut client = postgres::Client::connect(&url, NoTls).expect("connects");
    for sql in super::sql::ALL {
        if let Err(e) = client.prepare(sql) {
            panic!("{e:?}\n{sql}");
        }
    }
}

use crate::error::ErrorCode;
use crate::store::{Store, StoreExt};
use std::time::{Duration, Instant};

fn client(url: &str) -> postgres::Client {
    postgres::Client::connect(url, NoTls).expect("connects")
}

/// The tables of the database's schema, with their columns, as one text.
fn schema_text(url: &str) -> String {
    let rows = client(url)
        .query(
            "SELECT table_name, column_name, data_type FROM information_schema.columns
             WHERE table_schema = current_schema() ORDER BY 1, 2",
            &[],
        )
        .unwrap();
    rows.iter()
        .map(|r| {
            format!(
                "{} {} {}",
                r.get::<_, String>(0),
                r.get::<_, String>(1),
                r.get::<_, String>(2)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
#[ignore = "needs PostgreSQL: make pg-test"]
fn a_newer_schema_is_refused_and_left_untouched() {
    let url = fresh_database();
    drop(PostgresStore::open(&url).unwrap());
    client(&url)
        .execute("UPDATE pivotal_schema SET version = 99", &[])
        .unwrap();
    let before = schema_text(&url);
    let e = PostgresStore::open(&url).unwrap_err();
    assert_eq!(e.code, ErrorCode::SchemaTooNew, "{e}");
    let version: i64 = client(&url)
        .query_one("SELECT version FROM pivotal_schema", &[])
        .unwrap()
        .get(0);
    assert_eq!(version, 99);
    assert_eq!(schema_text(&url), before);
}

#[test]
#[ignore = "needs PostgreSQL: make pg-test"]
fn a_new_database_is_migrated_once_by_openers_racing() {
    let url = fresh_database();
    let opened: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| s.spawn(|| PostgresStore::open(&url)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for store in opened {
        assert_eq!(store.unwrap().schema_version(), super::open::SCHEMA_VERSION);
    }
    let version: i64 = client(&url)
        .query_one("SELECT version FROM pivotal_schema", &[])
        .unwrap()
        .get(0);
    assert_eq!(version, super::open::SCHEMA_VERSION);
}

#[test]
fn an_unreachable_server_is_unavailable_at_once_and_the_password_is_not_told() {
    let started = Instant::now();
    let e = PostgresStore::open("postgresql://ada:s3cret-pw@127.0.0.1:1/pivotal").unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(e.code, ErrorCode::StorageUnavailable, "{e}");
    assert!(e.message.contains("ada@127.0.0.1:1/pivotal"), "{e}");
    assert!(
        e.message.to_lowercase().contains("refused"),
        "the cause: {e}"
    );
    assert!(!format!("{e:?}").contains("s3cret-pw"), "{e:?}");
}

#[test]
fn a_url_that_does_not_parse_is_invalid() {
    let e = PostgresStore::open("postgresql://ada:s3cret-pw@host:port/db").unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidType, "{e}");
    assert_eq!(e.field.as_deref(), Some("url"));
    assert!(!format!("{e:?}").contains("s3cret-pw"), "{e:?}");
}

#[test]
#[ignore = "needs PostgreSQL: make pg-test"]
fn a_refused_connection_is_unavailable_with_the_cause() {
    let url = server_url();
    let missing = format!("{}/no_such_database", &url[..url.rfind('/').unwrap()]);
    let e = PostgresStore::open(&missing).unwrap_err();
    assert_eq!(e.code, ErrorCode::StorageUnavailable, "{e}");
    assert!(e.message.contains("does not exist"), "{e}");
}

#[test]
#[ignore = "needs PostgreSQL: make pg-test"]
fn a_connection_dropped_mid_transaction_rolls_back_and_is_replaced() {
    let url = fresh_database();
    let db = crate::Pivotal::open(&url).unwrap();
    db.customers()
        .create(
            crate::CustomerParams {
                name: "Before".into(),
                ..Default::default()
            },
            None,
        )
        .unwrap();
    let scope = crate::store::Scope {
        workspace_id: db.session().workspace.id.clone(),
        livemode: true,
    };
    let store = PostgresStore::open(&url).unwrap();
    let e = store
        .write_with(|tx| {
            let at = crate::store::conformance::fixtures::t(0);
            let c = crate::store::conformance::fixtures::bare_customer("cus_dropped", 99, at);
            tx.insert_customer(&scope, &c)?;
            client(&url)
                .execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                     WHERE datname = current_database() AND pid <> pg_backend_pid()",
                    &[],
                )
                .unwrap();
            tx.customer(&scope, "cus_dropped").map(drop)
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::StorageUnavailable, "{e}");
    // The same stores work again, on new connections; nothing of the dropped write is there.
    let list = db.customers().list(&Default::default()).unwrap();
    assert_eq!(list.data.len(), 1);
    assert_eq!(list.data[0].name, "Before");
    assert!(store
        .read_with(|tx| tx.customer(&scope, "cus_dropped"))
        .unwrap()
        .is_none());
}
