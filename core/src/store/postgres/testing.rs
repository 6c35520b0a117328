//! Fresh databases on a test server, for the tests of this crate and of others (feature
//! `conformance`).
//!
//! The PostgreSQL tests need a server: `PIVOTAL_TEST_POSTGRES_URL` names one where they may create
//! databases (`bash tests/postgres/cluster.sh` starts a throwaway one and sets it; `make pg-test`
//! runs them so). They are `#[ignore]`d in a plain `cargo test`, and fail when run without a server.

use super::{open, PostgresStore};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The server's URL; panics, naming how to get one, when it is not set.
pub fn server_url() -> String {
    std::env::var("PIVOTAL_TEST_POSTGRES_URL").unwrap_or_else(|_| {
        panic!(
            "PIVOTAL_TEST_POSTGRES_URL is not set: run the PostgreSQL tests with \
             `bash tests/postgres/cluster.sh cargo test … -- --include-ignored` (make pg-test)"
        )
    })
}

/// A fresh, empty database on the test server; its URL.
pub fn fresh_database() -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let url = server_url();
    let name = format!(
        "pivotal_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let target = open::Target::new(&url).expect("PIVOTAL_TEST_POSTGRES_URL parses");
    let mut admin = open::connect(&target.into()).expect("the test server answers");
    let create = format!("CREATE DATABASE {name} TEMPLATE template0");
    admin
        .driver
        .block_on(admin.client.batch_execute(&create))
        .expect("a test database is created");
    match url.rfind('/') {
        Some(slash) => format!("{}/{name}", &url[..slash]),
        None => panic!("PIVOTAL_TEST_POSTGRES_URL has no database: {url}"),
    }
}

/// A store on a fresh database.
pub fn fresh_store() -> PostgresStore {
    PostgresStore::open(&fresh_database()).expect("the store opens")
}
