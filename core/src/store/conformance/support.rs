//! Assertions and list walks the checks share.

use crate::error::Result;
use crate::model::{Contact, Customer, Event, Onboarding, Timestamp};
use crate::store::{ListCursor, PageRequest};
use std::fmt::Debug;

#[track_caller]
pub(super) fn assert_fails<T: Debug>(outcome: Result<T>, what: &str) {
    assert!(
        outcome.is_err(),
        "{what}: expected an error, got {outcome:?}"
    );
}

pub(super) fn json_text<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| panic!("serialisable: {e}"))
}

/// Equal, and equal as JSON text (so object key order is kept too).
#[track_caller]
pub(super) fn assert_same<T: serde::Serialize + PartialEq + Debug>(got: &T, want: &T, what: &str) {
    assert_eq!(got, want, "{what}");
    assert_eq!(json_text(got), json_text(want), "{what} (as JSON)");
}

/// A record of a paginated list.
pub(super) trait Listed: Clone + Debug + PartialEq {
    fn id(&self) -> &str;
    fn created_at(&self) -> Timestamp;
}

impl Listed for Customer {
    fn id(&self) -> &str {
        &self.id
    }
    fn created_at(&self) -> Timestamp {
        self.created_at
    }
}

impl Listed for Contact {
    fn id(&self) -> &str {
        &self.id
    }
    fn created_at(&self) -> Timestamp {
        self.created_at
    }
}

impl Listed for Onboarding {
    fn id(&self) -> &str {
        &self.id
    }
    fn created_at(&self) -> Timestamp {
        self.created_at
    }
}

pub(super) fn ids<T: Listed>(records: &[T]) -> Vec<&str> {
    records.iter().map(Listed::id).collect()
}

pub(super) fn sequences(events: &[Event]) -> Vec<i64> {
    events.iter().map(|e| e.sequence).collect()
}

/// Sorts into list order: `created_at` descending, then `id` descending.
pub(super) fn list_order<T: Listed>(mut records: Vec<T>) -> Vec<T> {
    records.sort_by(|a, b| (b.created_at(), b.id()).cmp(&(a.created_at(), a.id())));
    records
}

/// Walks a list page by page with `After` cursors taken from each page's last record, the page
/// limits cycling through `limits` (each ≥ 1). Every page must hold exactly
/// `min(limit, records left)` records. Returns the records in walk order.
pub(super) fn walk<T: Listed>(
    limits: &[usize],
    expected_len: usize,
    mut fetch: impl FnMut(&PageRequest) -> Result<Vec<T>>,
) -> std::result::Result<Vec<T>, String> {
    let mut seen: Vec<T> = Vec::new();
    let mut cursor = None;
    for step in 0..=expected_len {
        let limit = limits[step % limits.len()];
        let request = PageRequest {
            cursor: cursor.clone(),
            limit,
        };
        let records = fetch(&request).map_err(|e| format!("page {step} failed: {e:?}"))?;
        let want = limit.min(expected_len.saturating_sub(seen.len()));
        if records.len() != want {
            return Err(format!(
                "page {step} ({request:?}) after {} records returned {} records, expected {want}: {:?}",
                seen.len(),
                records.len(),
                ids(&records)
            ));
        }
        let Some(last) = records.last() else {
            return Ok(seen);
        };
        cursor = Some(ListCursor::After(last.created_at(), last.id().to_owned()));
        seen.extend(records);
    }
    Err(format!("the walk did not end after {expected_len} records"))
}

/// Walks with each of several limit patterns and checks the result is exactly `expected`.
#[track_caller]
pub(super) fn assert_walks<T: Listed>(
    expected: &[T],
    mut fetch: impl FnMut(&PageRequest) -> Result<Vec<T>>,
    what: &str,
) {
    for limits in [&[1][..], &[2], &[3, 1, 5], &[7], &[100]] {
        match walk(limits, expected.len(), &mut fetch) {
            Ok(got) => {
                assert_eq!(
                    ids(&got),
                    ids(expected),
                    "{what}: walk with limits {limits:?}"
                );
                assert_eq!(got, expected, "{what}: walk with limits {limits:?}");
            }
            Err(e) => panic!("{what}: walk with limits {limits:?}: {e}"),
        }
    }
}
