//! The contact object (docs/reference.md#contact), its create parameters and its patch.

use super::patch::Patch;
use super::time::{serde_ts, Timestamp};
use serde::{Deserialize, Serialize};

/// A person at a customer, exactly as the API returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "object", rename = "contact")]
pub struct Contact {
    /// `con_…`, or an imported id kept verbatim.
    pub id: String,
    /// Per-workspace sequence number, from 1.
    #[serde(deserialize_with = "super::ids::deserialize_display_id")]
    pub display_id: i64,
    /// The parent customer's canonical id.
    pub customer_id: String,
    /// 1–200 characters.
    pub name: String,
    /// Lowercased; unique among the customer's contacts.
    pub email: String,
    /// Job title.
    pub title: Option<String>,
    /// Digits, spaces and `+-().`.
    pub phone: Option<String>,
    /// At most one primary contact per customer.
    pub is_primary: bool,
    /// Lowercased, deduplicated, in order.
    pub labels: Vec<String>,
    /// Creation time.
    #[serde(with = "serde_ts")]
    pub created_at: Timestamp,
    /// Time of the last change.
    #[serde(with = "serde_ts")]
    pub updated_at: Timestamp,
}

/// Parameters of `contacts.create`; the parent customer is named separately.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ContactParams {
    /// Required, 1–200 characters.
    pub name: String,
    /// Required.
    pub email: String,
    /// ≤ 200 characters.
    pub title: Option<String>,
    /// ≤ 32 characters of digits, spaces and `+-().`.
    pub phone: Option<String>,
    /// Defaults to false, but the first contact of a customer without a primary becomes primary.
    pub is_primary: Option<bool>,
    /// ≤ 20 labels of 1–50 characters.
    pub labels: Option<Vec<String>>,
}

/// A change to a contact.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContactPatch {
    /// Cannot be cleared.
    pub name: Patch<String>,
    /// Cannot be cleared.
    pub email: Patch<String>,
    /// See [`Contact::title`].
    pub title: Patch<String>,
    /// See [`Contact::phone`].
    pub phone: Patch<String>,
    /// Cannot be cleared; `true` demotes the customer's current primary contact.
    pub is_primary: Patch<bool>,
    /// Replaces the list; cannot be cleared (set an empty list instead).
    pub labels: Patch<Vec<String>>,
}
