//! The customer object (docs/reference.md#customer), its create parameters and its patch.

use super::enums::CustomerStatus;
use super::patch::Patch;
use super::time::{serde_ts, Timestamp};
use serde::{Deserialize, Serialize};

/// Free-form key/value data attached to a customer.
pub type Metadata = serde_json::Map<String, serde_json::Value>;

/// A customer, exactly as the API returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "object", rename = "customer")]
pub struct Customer {
    /// `cus_…`, or an imported id kept verbatim.
    pub id: String,
    /// Per-workspace sequence number, from 1.
    #[serde(deserialize_with = "super::ids::deserialize_display_id")]
    pub display_id: i64,
    /// 1–200 characters.
    pub name: String,
    /// Unique among the workspace's customers; derived from the name when not given.
    pub slug: String,
    /// A lowercased host name.
    pub domain: Option<String>,
    /// Lifecycle status.
    pub status: CustomerStatus,
    /// Plan name.
    pub plan: Option<String>,
    /// Monthly recurring revenue in minor currency units.
    pub mrr: Option<i64>,
    /// Orders per month.
    pub monthly_orders: Option<i64>,
    /// HubSpot company id.
    pub hubspot_company_id: Option<String>,
    /// HubSpot deal id.
    pub hubspot_deal_id: Option<String>,
    /// Stripe customer id.
    pub stripe_customer_id: Option<String>,
    /// Intercom company id.
    pub intercom_company_id: Option<String>,
    /// Slack channel id.
    pub slack_channel_id: Option<String>,
    /// Free-form data; `{}` by default.
    pub metadata: Metadata,
    /// Creation time.
    #[serde(with = "serde_ts")]
    pub created_at: Timestamp,
    /// Time of the last change.
    #[serde(with = "serde_ts")]
    pub updated_at: Timestamp,
}

/// Parameters of `customers.create`. Only `name` is required.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CustomerParams {
    /// Required, 1–200 characters.
    pub name: String,
    /// Derived from `name` when absent.
    pub slug: Option<String>,
    /// A host name; a scheme or path is refused.
    pub domain: Option<String>,
    /// Defaults to `onboarding`.
    pub status: Option<CustomerStatus>,
    /// ≤ 64 characters.
    pub plan: Option<String>,
    /// ≥ 0.
    pub mrr: Option<i64>,
    /// ≥ 0.
    pub monthly_orders: Option<i64>,
    /// ≤ 128 characters.
    pub hubspot_company_id: Option<String>,
    /// ≤ 128 characters.
    pub hubspot_deal_id: Option<String>,
    /// ≤ 128 characters.
    pub stripe_customer_id: Option<String>,
    /// ≤ 128 characters.
    pub intercom_company_id: Option<String>,
    /// ≤ 128 characters.
    pub slack_channel_id: Option<String>,
    /// ≤ 50 keys, ≤ 8 KiB serialised.
    pub metadata: Option<Metadata>,
}

/// A change to a customer: every field left `Unchanged` stays as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomerPatch {
    /// Cannot be cleared.
    pub name: Patch<String>,
    /// Cannot be cleared.
    pub slug: Patch<String>,
    /// See [`Customer::domain`].
    pub domain: Patch<String>,
    /// Cannot be cleared. Becoming `churned` pauses open onboardings.
    pub status: Patch<CustomerStatus>,
    /// See [`Customer::plan`].
    pub plan: Patch<String>,
    /// See [`Customer::mrr`].
    pub mrr: Patch<i64>,
    /// See [`Customer::monthly_orders`].
    pub monthly_orders: Patch<i64>,
    /// See [`Customer::hubspot_company_id`].
    pub hubspot_company_id: Patch<String>,
    /// See [`Customer::hubspot_deal_id`].
    pub hubspot_deal_id: Patch<String>,
    /// See [`Customer::stripe_customer_id`].
    pub stripe_customer_id: Patch<String>,
    /// See [`Customer::intercom_company_id`].
    pub intercom_company_id: Patch<String>,
    /// See [`Customer::slack_channel_id`].
    pub slack_channel_id: Patch<String>,
    /// Replaces the whole object; cannot be cleared (set `{}` instead).
    pub metadata: Patch<Metadata>,
}
