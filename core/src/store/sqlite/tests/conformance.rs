//! The store conformance suite, against an in-memory SQLite store.

use super::SqliteStore;

crate::store_conformance_tests!(|| SqliteStore::open_in_memory().expect("store opens"));
