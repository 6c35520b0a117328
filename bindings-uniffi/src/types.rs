//! The values that cross the boundary: timestamps and JSON as custom types, the wire enums, and a
//! record mirroring each core object, with lossless conversions both ways ([`Bridge`]).
//!
//! The records are declared here (rather than as uniffi "remote" types) so they can carry methods
//! (`to_json()`); each mirror lists every field of its core struct, so a field added to the core
//! fails to compile here until the bindings carry it.

use crate::error::{guard, PivotalError};
use chrono::{TimeZone, Utc};
use pivotal_core::model::time;
use pivotal_core::{ErrorCode, Timestamp};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A free-form JSON object (customer `metadata`, `previous_attributes`), as JSON text.
pub type JsonObjectText = serde_json::Map<String, serde_json::Value>;
/// Any JSON value (an event's `data.object`), as JSON text.
pub type JsonText = serde_json::Value;

// `Timestamp` (chrono `DateTime<Utc>`) is a Kotlin `java.time.Instant` / a Swift `Date`.
uniffi::custom_type!(Timestamp, SystemTime, {
    remote,
    lower: |t| to_system_time(&t),
    try_lift: |t| Ok(from_system_time(t)?),
});

uniffi::custom_type!(JsonObjectText, String, {
    remote,
    lower: |m| serde_json::Value::Object(m).to_string(),
    try_lift: |s| Ok(parse_object(&s)?),
});

uniffi::custom_type!(JsonText, String, {
    remote,
    lower: |v| v.to_string(),
    try_lift: |s| Ok(parse_json(&s)?),
});

/// The instant as a `SystemTime` (every core timestamp is within `SystemTime`'s range).
fn to_system_time(t: &Timestamp) -> SystemTime {
    let ms = t.timestamp_millis();
    let offset = Duration::from_millis(ms.unsigned_abs());
    let moved = if ms >= 0 {
        UNIX_EPOCH.checked_add(offset)
    } else {
        UNIX_EPOCH.checked_sub(offset)
    };
    moved.unwrap_or(UNIX_EPOCH)
}

/// Nanoseconds short of the next millisecond that still count as that millisecond: a Swift `Date` is
/// a `Double`, so `…:00.123Z` arrives as `…:00.122999906Z`.
const FLOAT_SLACK_NANOS: i128 = 10_000;

/// A `SystemTime` as a core timestamp: whole milliseconds (floored, as the wire parser does, but
/// absorbing the float error of a Swift `Date`), within chrono's range of about ±262,000 years.
pub(crate) fn from_system_time(t: SystemTime) -> Result<Timestamp, PivotalError> {
    let nanos: i128 = match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    };
    let (ms, rest) = (nanos.div_euclid(1_000_000), nanos.rem_euclid(1_000_000));
    let ms = if rest >= 1_000_000 - FLOAT_SLACK_NANOS {
        ms + 1
    } else {
        ms
    };
    i64::try_from(ms)
        .ok()
        .and_then(|ms| Utc.timestamp_millis_opt(ms).single())
        .ok_or_else(|| {
            pivotal_core::Error::new(
                ErrorCode::InvalidTimestamp,
                "the instant is outside the supported range",
            )
            .into()
        })
}

fn parse_json(text: &str) -> Result<serde_json::Value, PivotalError> {
    Ok(pivotal_core::wire::parse(text)?)
}

/// A JSON object argument: the `metadata` of params and patches, so its errors name that field
/// (also for text nested past what a whole document may be, which the reader calls `body`).
fn parse_object(text: &str) -> Result<JsonObjectText, PivotalError> {
    let parsed = pivotal_core::wire::parse(text).map_err(|mut e| {
        e.field = Some("metadata".into());
        e
    })?;
    match parsed {
        serde_json::Value::Object(map) => Ok(map),
        _ => Err(pivotal_core::Error::field(
            ErrorCode::InvalidType,
            "metadata",
            "`metadata` must be a JSON object",
        )
        .into()),
    }
}

/// Conversion between a binding type and the core type it mirrors.
pub(crate) trait Bridge: Sized {
    /// The core type.
    type Core;
    /// Into the core type.
    fn into_core(self) -> Self::Core;
    /// From the core type.
    fn from_core(core: Self::Core) -> Self;
}

macro_rules! same_in_core {
    ($($t:ty),*) => {$(
        impl Bridge for $t {
            type Core = $t;
            fn into_core(self) -> $t {
                self
            }
            fn from_core(core: $t) -> Self {
                core
            }
        }
    )*};
}

same_in_core!(String, bool, i64, f64, Timestamp, JsonObjectText, JsonText);

impl<T: Bridge> Bridge for Option<T> {
    type Core = Option<T::Core>;
    fn into_core(self) -> Self::Core {
        self.map(T::into_core)
    }
    fn from_core(core: Self::Core) -> Self {
        core.map(T::from_core)
    }
}

impl<T: Bridge> Bridge for Vec<T> {
    type Core = Vec<T::Core>;
    fn into_core(self) -> Self::Core {
        self.into_iter().map(T::into_core).collect()
    }
    fn from_core(core: Self::Core) -> Self {
        core.into_iter().map(T::from_core).collect()
    }
}

/// A wire enum: variants in core order, `toString()` / `description` is the wire string, and
/// `<name>_from_wire` parses one (refusing others as the API does: `invalid_enum_value`).
macro_rules! wire_enum {
    (
        $(#[$doc:meta])* $name:ident => $core:ty, $from_wire:ident($field:literal) {
            $($(#[$vdoc:meta])* $variant:ident,)*
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
        #[uniffi::export(Display)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
        }

        impl Bridge for $name {
            type Core = $core;
            fn into_core(self) -> $core {
                match self {
                    $($name::$variant => <$core>::$variant,)*
                }
            }
            fn from_core(core: $core) -> Self {
                match core {
                    $(<$core>::$variant => $name::$variant,)*
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.into_core().as_str())
            }
        }

        /// Parses a wire string (e.g. from JSON); others are `invalid_enum_value`.
        #[uniffi::export]
        pub fn $from_wire(value: String) -> Result<$name, PivotalError> {
            guard(|| {
                Ok(pivotal_core::wire::parse_enum::<$core>($field, &value).map($name::from_core)?)
            })
        }
    };
}

wire_enum! {
    /// Where a customer is in its lifecycle.
    CustomerStatus => pivotal_core::CustomerStatus, customer_status_from_wire("status") {
        /// `onboarding` (default for new customers).
        Onboarding,
        /// `active`.
        Active,
        /// `at_risk`.
        AtRisk,
        /// `churned`: its open onboardings are paused.
        Churned,
        /// `archived`.
        Archived,
    }
}

wire_enum! {
    /// Where an onboarding is, in order.
    Phase => pivotal_core::Phase, phase_from_wire("phase") {
        /// `before_getting_started` (default).
        BeforeGettingStarted,
        /// `program_design`.
        ProgramDesign,
        /// `review`.
        Review,
        /// `program_buildout`.
        ProgramBuildout,
        /// `internal_qa`.
        InternalQa,
        /// `launch`.
        Launch,
        /// `completed`: terminal.
        Completed,
    }
}

wire_enum! {
    /// Whether anything blocks an onboarding.
    State => pivotal_core::State, state_from_wire("state") {
        /// `active` (default).
        Active,
        /// `paused`: no phase change while paused.
        Paused,
        /// `at_risk`.
        AtRisk,
        /// `waiting` on the customer (exactly while `waiting_on_customer`).
        Waiting,
    }
}

wire_enum! {
    /// The type of a change-log event.
    EventType => pivotal_core::EventType, event_type_from_wire("types") {
        /// `customer.created`.
        CustomerCreated,
        /// `customer.updated`.
        CustomerUpdated,
        /// `customer.deleted`.
        CustomerDeleted,
        /// `contact.created`.
        ContactCreated,
        /// `contact.updated`.
        ContactUpdated,
        /// `contact.deleted`.
        ContactDeleted,
        /// `onboarding.created`.
        OnboardingCreated,
        /// `onboarding.updated`.
        OnboardingUpdated,
        /// `onboarding.deleted`.
        OnboardingDeleted,
        /// `onboarding.phase_changed`.
        OnboardingPhaseChanged,
        /// `onboarding.state_changed`.
        OnboardingStateChanged,
        /// `onboarding.launched`: entered `launch`.
        OnboardingLaunched,
        /// `onboarding.completed`: entered `completed`.
        OnboardingCompleted,
        /// `onboarding.at_risk`: entered state `at_risk`.
        OnboardingAtRisk,
        /// `onboarding.back_on_track`: left `at_risk` for `active`.
        OnboardingBackOnTrack,
        /// `customer.imported`: inserted by an import.
        CustomerImported,
        /// `contact.imported`: inserted by an import.
        ContactImported,
        /// `onboarding.imported`: inserted by an import.
        OnboardingImported,
    }
}

/// How hard a SQLite commit waits for the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, uniffi::Enum)]
pub enum Durability {
    /// `synchronous=NORMAL` (default): a commit survives a crash of the process.
    #[default]
    Normal,
    /// `synchronous=FULL`: a commit also survives a power loss (an fsync per commit).
    Full,
}

impl Bridge for Durability {
    type Core = pivotal_core::Durability;
    fn into_core(self) -> Self::Core {
        match self {
            Durability::Normal => pivotal_core::Durability::Normal,
            Durability::Full => pivotal_core::Durability::Full,
        }
    }
    fn from_core(core: Self::Core) -> Self {
        match core {
            pivotal_core::Durability::Normal => Durability::Normal,
            pivotal_core::Durability::Full => Durability::Full,
        }
    }
}

/// A record mirroring a core struct field for field.
macro_rules! mirror_record {
    ($(#[$doc:meta])* $name:ident => $core:path { $($(#[$fdoc:meta])* $field:ident: $ty:ty,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, uniffi::Record)]
        pub struct $name {
            $($(#[$fdoc])* pub $field: $ty,)*
        }

        impl Bridge for $name {
            type Core = $core;
            fn into_core(self) -> $core {
                type Core = $core;
                Core { $($field: Bridge::into_core(self.$field),)* }
            }
            fn from_core(core: $core) -> Self {
                Self { $($field: Bridge::from_core(core.$field),)* }
            }
        }
    };
}

/// `to_json()`: the object exactly as the REST API returns it.
macro_rules! to_json {
    ($($name:ident),*) => {$(
        #[uniffi::export]
        impl $name {
            /// This object's wire JSON, exactly as the REST API returns it.
            pub fn to_json(&self) -> Result<String, PivotalError> {
                guard(|| wire_text(&self.clone().into_core()))
            }
        }
    )*};
}

// Sibling modules (`analytics`) declare their records with the same two macros.
pub(crate) use {mirror_record, to_json};

/// Serialises a core value to JSON text.
pub(crate) fn wire_text<T: serde::Serialize>(value: &T) -> Result<String, PivotalError> {
    serde_json::to_string(value)
        .map_err(|e| pivotal_core::Error::internal(format!("serialising to JSON: {e}")).into())
}

mirror_record! {
    /// A customer (`"object": "customer"`).
    Customer => pivotal_core::Customer {
        /// `cus_…`, or an imported id kept verbatim.
        id: String,
        /// Per-workspace sequence number: 1, 2, 3, …
        display_id: i64,
        /// 1–200 characters.
        name: String,
        /// Unique among the workspace's customers; derived from the name when not given.
        slug: String,
        /// A lowercased host name.
        domain: Option<String>,
        /// Lifecycle status.
        status: CustomerStatus,
        /// Plan name.
        plan: Option<String>,
        /// Monthly recurring revenue in minor currency units.
        mrr: Option<i64>,
        /// Orders per month.
        monthly_orders: Option<i64>,
        /// HubSpot company id.
        hubspot_company_id: Option<String>,
        /// HubSpot deal id.
        hubspot_deal_id: Option<String>,
        /// Stripe customer id.
        stripe_customer_id: Option<String>,
        /// Intercom company id.
        intercom_company_id: Option<String>,
        /// Slack channel id.
        slack_channel_id: Option<String>,
        /// Free-form data as JSON object text; `{}` by default.
        metadata: JsonObjectText,
        /// Creation time.
        created_at: Timestamp,
        /// Time of the last change.
        updated_at: Timestamp,
    }
}

mirror_record! {
    /// A person at a customer (`"object": "contact"`).
    Contact => pivotal_core::Contact {
        /// `con_…`
        id: String,
        /// Per-workspace sequence number.
        display_id: i64,
        /// The parent customer's id.
        customer_id: String,
        /// 1–200 characters.
        name: String,
        /// Lowercased; unique among the customer's contacts.
        email: String,
        /// Job title.
        title: Option<String>,
        /// Digits, spaces and `+-().`.
        phone: Option<String>,
        /// At most one primary contact per customer.
        is_primary: bool,
        /// Lowercased, deduplicated, in order.
        labels: Vec<String>,
        /// Creation time.
        created_at: Timestamp,
        /// Time of the last change.
        updated_at: Timestamp,
    }
}

mirror_record! {
    /// One customer's onboarding engagement (`"object": "onboarding"`).
    Onboarding => pivotal_core::Onboarding {
        /// `onb_…`
        id: String,
        /// Per-workspace sequence number.
        display_id: i64,
        /// The customer's id.
        customer_id: String,
        /// Opaque template reference.
        template_id: Option<String>,
        /// Where the engagement is.
        phase: Phase,
        /// Whether anything blocks it.
        state: State,
        /// When the work started.
        started_at: Timestamp,
        /// Set when the phase becomes `completed`.
        completed_at: Option<Timestamp>,
        /// The planned launch.
        target_launch_date: Option<Timestamp>,
        /// Customer success manager.
        csm_id: Option<String>,
        /// Solutions engineer.
        se_id: Option<String>,
        /// Designer.
        designer_id: Option<String>,
        /// Product operations.
        product_ops_id: Option<String>,
        /// Free text, ≤ 10,000 characters.
        notes: Option<String>,
        /// True exactly while `state` is `waiting`.
        waiting_on_customer: bool,
        /// When the current waiting period began.
        waiting_on_customer_since: Option<Timestamp>,
        /// When the setup wizard was finished.
        wizard_completed_at: Option<Timestamp>,
        /// Send reminder emails.
        reminder_email: bool,
        /// Send reminder Slack messages.
        reminder_slack: bool,
        /// 0–90; at least 1 while a reminder is on.
        reminder_frequency_days: i64,
        /// Creation time.
        created_at: Timestamp,
        /// Time of the last change.
        updated_at: Timestamp,
    }
}

mirror_record! {
    /// A recorded change of an onboarding's phase (`"object": "phase_transition"`).
    PhaseTransition => pivotal_core::PhaseTransition {
        /// `ptr_…`
        id: String,
        /// The onboarding's id.
        onboarding_id: String,
        /// The phase before.
        from_phase: Phase,
        /// The phase after.
        to_phase: Phase,
        /// Who made the change.
        actor: String,
        /// Why, for skips and regressions (and whenever one was given).
        reason: Option<String>,
        /// When.
        created_at: Timestamp,
    }
}

mirror_record! {
    /// The payload of an event.
    EventData => pivotal_core::EventData {
        /// The object after the change (at deletion, for deletes), as JSON text.
        object: JsonText,
        /// Old values of exactly the changed fields, as JSON object text; null for creates and deletes.
        previous_attributes: Option<JsonObjectText>,
    }
}

mirror_record! {
    /// One entry of the change log (`"object": "event"`).
    Event => pivotal_core::Event {
        /// `evt_…`
        id: String,
        /// Strictly increasing within a workspace.
        sequence: i64,
        /// What happened (the wire `type`).
        event_type: EventType,
        /// When it happened.
        created_at: Timestamp,
        /// The workspace (`org_…`).
        org_id: String,
        /// Live or test mode.
        livemode: bool,
        /// Always `v1`.
        api_version: String,
        /// Who made the change.
        actor: String,
        /// The object after the change and what it was before.
        data: EventData,
    }
}

mirror_record! {
    /// The answer to a delete (`"object": "deleted"`).
    Deleted => pivotal_core::Deleted {
        /// The deleted record's id.
        id: String,
        /// Its display id.
        display_id: i64,
        /// Always true.
        deleted: bool,
    }
}

mirror_record! {
    /// The answer of `health()`.
    Health => pivotal_core::Health {
        /// `ok` when the store answers.
        status: String,
        /// Now, by the store's clock.
        timestamp: Timestamp,
        /// The library version.
        version: String,
        /// The store's schema version.
        schema_version: i64,
    }
}

mirror_record! {
    /// A workspace (the API's organization).
    Workspace => pivotal_core::Workspace {
        /// `org_…`
        id: String,
        /// Short unique name.
        slug: String,
        /// Display name.
        name: String,
    }
}

mirror_record! {
    /// The key part of an [`Identity`]: which API key a session authenticated with.
    KeyIdentity => pivotal_core::KeyIdentity {
        /// `key_…`
        id: String,
        /// The key's name (the session's actor).
        name: String,
        /// The secret's first 12 characters.
        prefix: String,
        /// The key's mode.
        livemode: bool,
    }
}

mirror_record! {
    /// Who a store handle works as, and where.
    Session => pivotal_core::Session {
        /// The workspace every record read or written belongs to.
        workspace: Workspace,
        /// Live (`true`) or test (`false`) mode.
        livemode: bool,
        /// Recorded as the `actor` of every event and transition.
        actor: String,
        /// The API key the session authenticated with; null for a local session.
        api_key: Option<KeyIdentity>,
    }
}

mirror_record! {
    /// Who a session is (`GET /me`, `"object": "me"`).
    Identity => pivotal_core::Identity {
        /// The key the session authenticated with; null for a local session.
        api_key: Option<KeyIdentity>,
        /// The session's workspace.
        organization: Workspace,
    }
}

mirror_record! {
    /// An API key of a workspace, as listed: never its secret (`"object": "api_key"`).
    ApiKey => pivotal_core::ApiKey {
        /// `key_…`
        id: String,
        /// Becomes the actor of every change made with the key.
        name: String,
        /// The first 12 characters of the secret, for recognising it.
        prefix: String,
        /// Live (`pivotal_…`) or test (`pivotal_test_…`).
        livemode: bool,
        /// When the key was created.
        created_at: Timestamp,
        /// When the key was revoked; it authenticates nothing from then on.
        revoked_at: Option<Timestamp>,
    }
}

mirror_record! {
    /// A key just created: the only time its secret is ever returned.
    CreatedApiKey => pivotal_core::CreatedApiKey {
        /// The key as it will be listed.
        api_key: ApiKey,
        /// The secret to hand to the key's user; only its hash is kept.
        secret: String,
    }
}

mirror_record! {
    /// One page of customers (`"object": "list"`).
    CustomerPage => pivotal_core::Page::<pivotal_core::Customer> {
        /// The records of this page, newest first.
        data: Vec<Customer>,
        /// Whether more records follow.
        has_more: bool,
        /// Pass as `cursor` to get the next page; null on the last page.
        next_cursor: Option<String>,
    }
}

mirror_record! {
    /// One page of contacts (`"object": "list"`).
    ContactPage => pivotal_core::Page::<pivotal_core::Contact> {
        /// The records of this page, newest first.
        data: Vec<Contact>,
        /// Whether more records follow.
        has_more: bool,
        /// Pass as `cursor` to get the next page; null on the last page.
        next_cursor: Option<String>,
    }
}

mirror_record! {
    /// One page of onboardings (`"object": "list"`).
    OnboardingPage => pivotal_core::Page::<pivotal_core::Onboarding> {
        /// The records of this page, newest first.
        data: Vec<Onboarding>,
        /// Whether more records follow.
        has_more: bool,
        /// Pass as `cursor` to get the next page; null on the last page.
        next_cursor: Option<String>,
    }
}

mirror_record! {
    /// One page of events (`"object": "list"`).
    EventPage => pivotal_core::Page::<pivotal_core::Event> {
        /// The events of this page, in the list's order.
        data: Vec<Event>,
        /// Whether more events follow.
        has_more: bool,
        /// Pass as `cursor` (timeline) or `after_sequence` (events list) to get the next page.
        next_cursor: Option<String>,
    }
}

to_json!(
    Identity,
    Workspace,
    ApiKey,
    CreatedApiKey,
    Customer,
    Contact,
    Onboarding,
    PhaseTransition,
    Event,
    Deleted,
    Health,
    CustomerPage,
    ContactPage,
    OnboardingPage,
    EventPage
);

mirror_record! {
    /// Parameters of `create_customer`. Only `name` is required.
    #[derive(Default)]
    CustomerParams => pivotal_core::CustomerParams {
        /// Required, 1–200 characters.
        name: String,
        /// Derived from `name` when absent.
        #[uniffi(default)]
        slug: Option<String>,
        /// A host name; a scheme or path is refused.
        #[uniffi(default)]
        domain: Option<String>,
        /// Defaults to `onboarding`.
        #[uniffi(default)]
        status: Option<CustomerStatus>,
        /// ≤ 64 characters.
        #[uniffi(default)]
        plan: Option<String>,
        /// ≥ 0, minor currency units.
        #[uniffi(default)]
        mrr: Option<i64>,
        /// ≥ 0.
        #[uniffi(default)]
        monthly_orders: Option<i64>,
        /// ≤ 128 characters.
        #[uniffi(default)]
        hubspot_company_id: Option<String>,
        /// ≤ 128 characters.
        #[uniffi(default)]
        hubspot_deal_id: Option<String>,
        /// ≤ 128 characters.
        #[uniffi(default)]
        stripe_customer_id: Option<String>,
        /// ≤ 128 characters.
        #[uniffi(default)]
        intercom_company_id: Option<String>,
        /// ≤ 128 characters.
        #[uniffi(default)]
        slack_channel_id: Option<String>,
        /// JSON object text: ≤ 50 keys, ≤ 8 KiB serialised. Defaults to `{}`.
        #[uniffi(default)]
        metadata: Option<JsonObjectText>,
    }
}

mirror_record! {
    /// Parameters of `create_contact`; the parent customer is named separately.
    #[derive(Default)]
    ContactParams => pivotal_core::ContactParams {
        /// Required, 1–200 characters.
        name: String,
        /// Required; trimmed and lowercased.
        email: String,
        /// ≤ 200 characters.
        #[uniffi(default)]
        title: Option<String>,
        /// ≤ 32 characters of digits, spaces and `+-().`.
        #[uniffi(default)]
        phone: Option<String>,
        /// Defaults to false, but the first contact of a customer without a primary becomes primary.
        #[uniffi(default)]
        is_primary: Option<bool>,
        /// ≤ 20 labels of 1–50 characters.
        #[uniffi(default)]
        labels: Option<Vec<String>>,
    }
}

mirror_record! {
    /// Parameters of `create_onboarding`. Only `customer_id` is required.
    #[derive(Default)]
    OnboardingParams => pivotal_core::OnboardingParams {
        /// The customer's id or display id.
        customer_id: String,
        /// ≤ 64 characters.
        #[uniffi(default)]
        template_id: Option<String>,
        /// Defaults to `before_getting_started`; any phase may be given (no transition is recorded).
        #[uniffi(default)]
        phase: Option<Phase>,
        /// Defaults to `active` (or `waiting` when `waiting_on_customer` is true).
        #[uniffi(default)]
        state: Option<State>,
        /// Defaults to the creation time.
        #[uniffi(default)]
        started_at: Option<Timestamp>,
        /// The planned launch.
        #[uniffi(default)]
        target_launch_date: Option<Timestamp>,
        /// ≤ 64 characters.
        #[uniffi(default)]
        csm_id: Option<String>,
        /// ≤ 64 characters.
        #[uniffi(default)]
        se_id: Option<String>,
        /// ≤ 64 characters.
        #[uniffi(default)]
        designer_id: Option<String>,
        /// ≤ 64 characters.
        #[uniffi(default)]
        product_ops_id: Option<String>,
        /// ≤ 10,000 characters.
        #[uniffi(default)]
        notes: Option<String>,
        /// Defaults to false.
        #[uniffi(default)]
        waiting_on_customer: Option<bool>,
        /// When the setup wizard was finished.
        #[uniffi(default)]
        wizard_completed_at: Option<Timestamp>,
        /// Defaults to true.
        #[uniffi(default)]
        reminder_email: Option<bool>,
        /// Defaults to true.
        #[uniffi(default)]
        reminder_slack: Option<bool>,
        /// 0–90, defaults to 1.
        #[uniffi(default)]
        reminder_frequency_days: Option<i64>,
    }
}

mirror_record! {
    /// Paging of a list: `limit` (1–100) and `cursor`.
    #[derive(Default)]
    ListParams => pivotal_core::ListParams {
        /// Records per page, 1–100 (default 20).
        #[uniffi(default)]
        limit: Option<i64>,
        /// The previous page's `next_cursor`, or an RFC 3339 instant meaning "strictly older than".
        #[uniffi(default)]
        cursor: Option<String>,
    }
}

mirror_record! {
    /// Filters and paging of `list_customers`.
    #[derive(Default)]
    CustomerListParams => pivotal_core::CustomerListParams {
        /// Only customers with this status.
        #[uniffi(default)]
        status: Option<CustomerStatus>,
        /// Only the customer with this slug.
        #[uniffi(default)]
        slug: Option<String>,
        /// Records per page, 1–100 (default 20).
        #[uniffi(default)]
        limit: Option<i64>,
        /// The previous page's `next_cursor`, or an RFC 3339 instant.
        #[uniffi(default)]
        cursor: Option<String>,
    }
}

mirror_record! {
    /// Filters and paging of `list_onboardings`.
    #[derive(Default)]
    OnboardingListParams => pivotal_core::OnboardingListParams {
        /// Only this customer's onboardings (id or display id).
        #[uniffi(default)]
        customer_id: Option<String>,
        /// Only onboardings in this phase.
        #[uniffi(default)]
        phase: Option<Phase>,
        /// Only onboardings in this state.
        #[uniffi(default)]
        state: Option<State>,
        /// Records per page, 1–100 (default 25).
        #[uniffi(default)]
        limit: Option<i64>,
        /// The previous page's `next_cursor`, or an RFC 3339 instant.
        #[uniffi(default)]
        cursor: Option<String>,
    }
}

mirror_record! {
    /// Filters of `list_events`, read in ascending sequence order.
    #[derive(Default)]
    EventListParams => pivotal_core::EventListParams {
        /// Only events after this sequence number (the last one you saw).
        #[uniffi(default)]
        after_sequence: Option<i64>,
        /// Only events of these types (every type when empty).
        #[uniffi(default)]
        types: Vec<EventType>,
        /// Only events about this object id.
        #[uniffi(default)]
        object_id: Option<String>,
        /// Events per page, 1–100 (default 20).
        #[uniffi(default)]
        limit: Option<i64>,
    }
}

/// Parses an RFC 3339 instant (any offset, converted to UTC, truncated to milliseconds) or a bare
/// `YYYY-MM-DD` date (midnight UTC), as the API reads timestamps.
#[uniffi::export]
pub fn parse_timestamp(value: String) -> Result<Timestamp, PivotalError> {
    guard(|| {
        time::parse_instant_or_date(&value).ok_or_else(|| {
            let message = format!("`{value}` is not an RFC 3339 instant or a YYYY-MM-DD date");
            pivotal_core::Error::new(ErrorCode::InvalidTimestamp, message).into()
        })
    })
}

/// Writes an instant the way the API does: `2024-04-01T10:00:00.000Z`.
#[uniffi::export]
pub fn format_timestamp(at: Timestamp) -> Result<String, PivotalError> {
    Ok(time::format(&at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_times_round_trip_in_milliseconds() {
        for text in [
            "2024-04-01T10:00:00.123Z",
            "1969-12-31T23:59:59.999Z",
            "1900-01-01T00:00:00.001Z",
        ] {
            let t = time::parse_instant(text).unwrap();
            assert_eq!(from_system_time(to_system_time(&t)).unwrap(), t);
        }
        // A Swift Date (a Double) carries .123 as .122999906.
        let t = UNIX_EPOCH + Duration::new(1_704_067_200, 122_999_906);
        assert_eq!(
            time::format(&from_system_time(t).unwrap()),
            "2024-01-01T00:00:00.123Z"
        );
        // Genuine sub-millisecond parts are floored, as the wire parser does.
        let t = UNIX_EPOCH + Duration::new(1_704_067_200, 123_900_000);
        assert_eq!(
            time::format(&from_system_time(t).unwrap()),
            "2024-01-01T00:00:00.123Z"
        );
        let t = UNIX_EPOCH - Duration::new(0, 1);
        assert_eq!(
            time::format(&from_system_time(t).unwrap()),
            "1970-01-01T00:00:00.000Z"
        );
        let far = UNIX_EPOCH + Duration::from_secs(31_556_889_864_403_199);
        assert_eq!(
            from_system_time(far).unwrap_err().info().code,
            "invalid_timestamp"
        );
    }

    #[test]
    fn enums_print_and_parse_wire_strings() {
        assert_eq!(Phase::InternalQa.to_string(), "internal_qa");
        assert_eq!(
            EventType::OnboardingBackOnTrack.to_string(),
            "onboarding.back_on_track"
        );
        assert_eq!(phase_from_wire("launch".into()).unwrap(), Phase::Launch);
        let e = state_from_wire("Paused".into()).unwrap_err().info();
        assert_eq!(
            (e.code.as_str(), e.field.as_deref()),
            ("invalid_enum_value", Some("state"))
        );
    }

    #[test]
    fn json_text_is_checked() {
        assert_eq!(parse_object("[1]").unwrap_err().info().code, "invalid_type");
        assert_eq!(parse_object("{").unwrap_err().info().code, "invalid_type");
        assert!(parse_object(r#"{"a":{"b":[1,2.5,null]}}"#).is_ok());
        // Too deep for any document, not only for metadata: still the `metadata` argument's error.
        for levels in [41, 1_000, 100_000] {
            let deep = format!(
                "{}{}",
                "{\"a\":".repeat(levels - 1),
                "{}".to_owned() + &"}".repeat(levels - 1)
            );
            let e = parse_object(&deep).unwrap_err().info();
            assert_eq!(
                (e.code.as_str(), e.field.as_deref()),
                ("invalid_type", Some("metadata"))
            );
        }
        assert_eq!(
            parse_object("[1]").unwrap_err().info().field.as_deref(),
            Some("metadata")
        );
    }
}
