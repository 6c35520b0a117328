//! The store conformance suite on a real PostgreSQL server, each check on a fresh database, and
//! the PostgreSQL store's own tests (see `testing` for the server they need).

use super::testing::{fresh_database, fresh_store};
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
