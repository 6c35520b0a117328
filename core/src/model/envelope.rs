//! The non-object shapes of the wire format: list pages, deletion receipts, workspace, health.

use super::time::{serde_ts, Timestamp};
use serde::{Deserialize, Serialize};

/// One page of a list: `{"object":"list","data":[…],"has_more","next_cursor"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "object", rename = "list")]
pub struct Page<T> {
    /// The records of this page, in list order.
    pub data: Vec<T>,
    /// Whether more records follow.
    pub has_more: bool,
    /// Pass as `cursor` to get the next page; `None` on the last page.
    pub next_cursor: Option<String>,
}

/// The answer to a delete: `{"object":"deleted","id","display_id","deleted":true}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "object", rename = "deleted")]
pub struct Deleted {
    /// The deleted record's id.
    pub id: String,
    /// Its display id.
    pub display_id: i64,
    /// Always true.
    pub deleted: bool,
}

/// A workspace (the API's organization).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workspace {
    /// `org_…`
    pub id: String,
    /// Short unique name.
    pub slug: String,
    /// Display name.
    pub name: String,
}

/// The answer of `health()`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// `ok` when the store answers.
    pub status: String,
    /// Now, by the injected clock.
    #[serde(with = "serde_ts")]
    pub timestamp: Timestamp,
    /// The library version.
    pub version: String,
    /// The store's schema version.
    pub schema_version: i64,
}
