//! The conformance suite as an out-of-tree store sees it, through the `conformance` feature: the
//! macro over a boxed store, `run` with a named check, and the public fixtures.

use pivotal_core::store::conformance::{self, fixtures};
use pivotal_core::{MemoryStore, SqliteStore, Store};

pivotal_core::store_conformance_tests!(|| -> Box<dyn Store> {
    Box::new(SqliteStore::open_in_memory().expect("store opens"))
});

#[test]
fn run_takes_any_check_by_name() {
    conformance::run(MemoryStore::new, conformance::check_workspaces);
    conformance::run(MemoryStore::new, conformance::check_pagination_property);
}

#[test]
fn fixtures_build_records_a_store_reads_back() {
    let store = MemoryStore::new();
    let (scope, _, _) = fixtures::setup(&store);
    let customer = fixtures::write(&store, |tx| {
        fixtures::add_customer(tx, &scope, "cus_outoftree000000000", fixtures::t(0))
    });
    let found = fixtures::read(&store, |tx| tx.customer(&scope, &customer.id));
    assert_eq!(found, Some(customer));
}
