//! Tests of the SQLite store: files, versions, transactions, visibility, pagination, query plans.

mod conformance;
mod files;
mod group;
mod lists;
mod log;
mod plans;
mod transactions;
mod visibility;

use super::{sql, Durability, SqliteOptions, SqliteStore};
use crate::error::{Error, ErrorCode};
use crate::model::{
    Contact, Customer, CustomerStatus, Event, EventType, Onboarding, Phase, State, Timestamp,
};
use crate::store::conformance::fixtures::{
    at, bare_contact, bare_customer, bare_onboarding, full_customer, full_onboarding, new_event,
    read, transition_to, workspace, write, BASE_MS as T0,
};
use crate::store::{
    CustomerFilter, DisplayKind, EventFilter, IdempotencyEntry, ListCursor, OnboardingFilter,
    PageRequest, Scope, Store, TimelineCursor,
};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

fn scope(ws: &str, livemode: bool) -> Scope {
    Scope {
        workspace_id: ws.into(),
        livemode,
    }
}

fn live() -> Scope {
    scope("org_a", true)
}

fn page(cursor: Option<ListCursor>, limit: usize) -> PageRequest {
    PageRequest { cursor, limit }
}

fn all() -> PageRequest {
    page(None, 1000)
}

fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pivotal.db");
    (dir, path)
}

fn open_err(path: &Path) -> Error {
    SqliteStore::open(path).expect_err("open should fail")
}

/// Opens `path`, expects `code`, and checks the file was neither changed nor removed.
fn assert_refused_untouched(path: &Path, code: ErrorCode) {
    let before = std::fs::read(path).unwrap();
    let err = open_err(path);
    assert_eq!(err.code, code, "{err}");
    assert_eq!(std::fs::read(path).unwrap(), before, "the file changed");
}
