//! The bounds of every input, named once. Lengths count characters (Unicode scalar values) unless
//! a name says bytes; every check that enforces one names the field in its error.

/// Names of customers, contacts, workspaces and API keys, and actor names (a key session acts as
/// its key's name).
pub const NAME_MAX: usize = 200;
/// A contact's `title`.
pub const TITLE_MAX: usize = 200;
/// A slug (customers and workspaces); derived slugs are cut to it too.
pub const SLUG_MAX: usize = 64;
/// A customer's `domain` (a host name).
pub const DOMAIN_MAX: usize = 253;
/// One dot-separated label of a domain.
pub const DOMAIN_LABEL_MAX: usize = 63;
/// A customer's `plan`.
pub const PLAN_MAX: usize = 64;
/// A customer's ids in other systems (HubSpot, Stripe, Intercom, Slack).
pub const EXTERNAL_ID_MAX: usize = 128;
/// A contact's `email`.
pub const EMAIL_MAX: usize = 254;
/// A contact's `phone`.
pub const PHONE_MAX: usize = 32;
/// How many labels a contact holds (after duplicates are removed).
pub const LABELS_MAX: usize = 20;
/// One label.
pub const LABEL_MAX: usize = 50;
/// References to users and templates on an onboarding (`csm_id`, `se_id`, `designer_id`,
/// `product_ops_id`, `template_id`), and the report's CSM and template filters.
pub const USER_REF_MAX: usize = 64;
/// An onboarding's `notes`.
pub const NOTES_MAX: usize = 10_000;
/// An onboarding's `reminder_frequency_days` (at least 1 while a reminder is on, else 0).
pub const REMINDER_FREQUENCY_DAYS_MAX: i64 = 90;
/// Keys of a `metadata` object.
pub const METADATA_KEYS_MAX: usize = 50;
/// One metadata key.
pub const METADATA_KEY_MAX: usize = 40;
/// One metadata string value.
pub const METADATA_VALUE_MAX: usize = 500;
/// How many levels of objects and arrays a field of arbitrary JSON (`metadata`) may nest, itself
/// included: `{"a": {"b": [1]}}` nests 3. Far enough below serde_json's read limit (128) that every
/// envelope a value is stored or sent in (the record, an event's payload, a list page, an
/// idempotent response) reads back.
pub const MAX_NESTING: usize = 32;

/// How deep a whole JSON document read as input (a request body, a wire object, a list page) may
/// nest: a field at [`MAX_NESTING`] plus the envelopes around it.
pub const MAX_DOCUMENT_NESTING: usize = MAX_NESTING + 8;
/// A `metadata` object serialised as JSON, in bytes.
pub const METADATA_BYTES_MAX: usize = 8 * 1024;
/// The workspace report's `stalled_after_days` threshold: 100 years.
pub const STALLED_AFTER_DAYS_MAX: f64 = 36_500.0;
/// An idempotency key, in bytes.
pub const IDEMPOTENCY_KEY_MAX_BYTES: usize = 255;
/// Records per list page.
pub const PAGE_LIMIT_MAX: i64 = 100;
