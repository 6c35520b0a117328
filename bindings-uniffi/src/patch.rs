//! Patches: one record per object, every field optional, plus an explicit list of fields to clear.
//!
//! A field left `null`/`nil` and not listed in `clear` is unchanged; a field given a value is set; a
//! field listed in `clear` is cleared (the wire's explicit `null`). Setting and clearing one field in
//! the same patch is refused (`invalid_request_error/conflicting_fields`); clearing a field that
//! cannot be null is refused by the core exactly as the API refuses `"name": null`.

use crate::error::{guard, PivotalError};
use crate::types::{wire_text, Bridge, CustomerStatus, JsonObjectText, Phase, State};
use pivotal_core::model::time;
use pivotal_core::{ErrorCode, Patch, Timestamp};
use serde_json::{Map, Value};

/// A core field value as the API's request body writes it.
trait WireValue {
    fn wire(&self) -> Value;
}

macro_rules! wire_via_serde {
    ($($t:ty),*) => {$(
        impl WireValue for $t {
            fn wire(&self) -> Value {
                serde_json::to_value(self).unwrap_or(Value::Null)
            }
        }
    )*};
}

wire_via_serde!(
    String,
    i64,
    bool,
    Vec<String>,
    JsonObjectText,
    pivotal_core::CustomerStatus,
    pivotal_core::Phase,
    pivotal_core::State
);

impl WireValue for Timestamp {
    fn wire(&self) -> Value {
        Value::String(time::format(self))
    }
}

/// One field of a patch, from its value and whether it is listed in `clear`.
fn patch_field<T: Bridge>(
    value: Option<T>,
    clear: bool,
    field: &str,
) -> Result<Patch<T::Core>, pivotal_core::Error> {
    match (value, clear) {
        (Some(_), true) => Err(pivotal_core::Error::field(
            ErrorCode::ConflictingFields,
            field,
            format!("`{field}` is both set and listed in `clear`"),
        )),
        (Some(v), false) => Ok(Patch::Set(v.into_core())),
        (None, true) => Ok(Patch::Clear),
        (None, false) => Ok(Patch::Unchanged),
    }
}

/// The value of one field of a core patch, listing it in `clear` when the patch clears it.
fn unpatch<T: Bridge, F: Copy>(patch: Patch<T::Core>, clear: &mut Vec<F>, field: F) -> Option<T> {
    match patch {
        Patch::Unchanged => None,
        Patch::Set(v) => Some(T::from_core(v)),
        Patch::Clear => {
            clear.push(field);
            None
        }
    }
}

/// The request body of a core patch field (absent, `null`, or the value).
fn body_field<T: WireValue>(body: &mut Map<String, Value>, field: &str, patch: &Patch<T>) {
    match patch {
        Patch::Unchanged => {}
        Patch::Set(v) => {
            body.insert(field.to_owned(), v.wire());
        }
        Patch::Clear => {
            body.insert(field.to_owned(), Value::Null);
        }
    }
}

macro_rules! patch_record {
    (
        $(#[$doc:meta])* $name:ident => $core:path;
        $(#[$fdoc_enum:meta])* $fields:ident {
            $($(#[$fdoc:meta])* $field:ident: $ty:ty => $variant:ident,)*
        }
        $(extra { $(#[$rdoc:meta])* $reason:ident: Option<String>, })?
    ) => {
        $(#[$fdoc_enum])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
        #[uniffi::export(Display)]
        pub enum $fields {
            $($variant,)*
        }

        impl std::fmt::Display for $fields {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(match self {
                    $($fields::$variant => stringify!($field),)*
                })
            }
        }

        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, uniffi::Record)]
        pub struct $name {
            $(
                $(#[$fdoc])*
                #[uniffi(default)]
                pub $field: Option<$ty>,
            )*
            $(
                $(#[$rdoc])*
                #[uniffi(default)]
                pub $reason: Option<String>,
            )?
            /// The fields to clear (the wire's explicit `null`).
            #[uniffi(default)]
            pub clear: Vec<$fields>,
        }

        impl $name {
            /// The core patch; a field both set and cleared is `conflicting_fields`.
            pub(crate) fn into_core(self) -> Result<$core, pivotal_core::Error> {
                type Core = $core;
                let clear = self.clear;
                Ok(Core {
                    $($field: patch_field(self.$field, clear.contains(&$fields::$variant), stringify!($field))?,)*
                    $($reason: self.$reason,)?
                })
            }

            pub(crate) fn from_core(core: $core) -> Self {
                let mut clear = Vec::new();
                $(let $field = unpatch::<$ty, _>(core.$field, &mut clear, $fields::$variant);)*
                Self { $($field,)* $($reason: core.$reason,)? clear }
            }

            fn body(core: &$core) -> Value {
                let mut body = Map::new();
                $(body_field(&mut body, stringify!($field), &core.$field);)*
                $(if let Some(reason) = &core.$reason {
                    body.insert(stringify!($reason).to_owned(), Value::String(reason.clone()));
                })?
                Value::Object(body)
            }
        }

        #[uniffi::export]
        impl $name {
            /// The API's request body for this patch: set fields with their value, cleared ones
            /// as `null`, unchanged ones absent.
            pub fn to_json(&self) -> Result<String, PivotalError> {
                guard(|| {
                    let core = self.clone().into_core()?;
                    wire_text(&Self::body(&core))
                })
            }
        }
    };
}

patch_record! {
    /// A change to a customer. `name`, `slug`, `status` and `metadata` cannot be cleared.
    CustomerPatch => pivotal_core::CustomerPatch;
    /// A field of a customer, for `CustomerPatch.clear`.
    CustomerField {
        /// 1–200 characters.
        name: String => Name,
        /// A new unique slug.
        slug: String => Slug,
        /// A host name.
        domain: String => Domain,
        /// Becoming `churned` pauses every open onboarding of the customer.
        status: CustomerStatus => Status,
        /// ≤ 64 characters.
        plan: String => Plan,
        /// ≥ 0.
        mrr: i64 => Mrr,
        /// ≥ 0.
        monthly_orders: i64 => MonthlyOrders,
        /// ≤ 128 characters.
        hubspot_company_id: String => HubspotCompanyId,
        /// ≤ 128 characters.
        hubspot_deal_id: String => HubspotDealId,
        /// ≤ 128 characters.
        stripe_customer_id: String => StripeCustomerId,
        /// ≤ 128 characters.
        intercom_company_id: String => IntercomCompanyId,
        /// ≤ 128 characters.
        slack_channel_id: String => SlackChannelId,
        /// JSON object text; replaces the whole object. Cannot be cleared (set `{}` instead).
        metadata: JsonObjectText => Metadata,
    }
}

patch_record! {
    /// A change to a contact. `name`, `email`, `is_primary` and `labels` cannot be cleared.
    ContactPatch => pivotal_core::ContactPatch;
    /// A field of a contact, for `ContactPatch.clear`.
    ContactField {
        /// 1–200 characters.
        name: String => Name,
        /// Unique among the customer's contacts.
        email: String => Email,
        /// ≤ 200 characters.
        title: String => Title,
        /// ≤ 32 characters of digits, spaces and `+-().`.
        phone: String => Phone,
        /// `true` demotes the customer's current primary contact.
        is_primary: bool => IsPrimary,
        /// Replaces the list. Cannot be cleared (set an empty list instead).
        labels: Vec<String> => Labels,
    }
}

patch_record! {
    /// A change to an onboarding, plus the `reason` a skip or regression of phase needs. `phase`,
    /// `state`, `started_at`, `waiting_on_customer` and the reminder fields cannot be cleared.
    OnboardingPatch => pivotal_core::OnboardingPatch;
    /// A field of an onboarding, for `OnboardingPatch.clear`.
    OnboardingField {
        /// ≤ 64 characters.
        template_id: String => TemplateId,
        /// Checked by the phase rules (one step forward, or any move with a `reason`).
        phase: Phase => Phase,
        /// Kept consistent with `waiting_on_customer`.
        state: State => State,
        /// When the work started.
        started_at: Timestamp => StartedAt,
        /// The planned launch.
        target_launch_date: Timestamp => TargetLaunchDate,
        /// ≤ 64 characters.
        csm_id: String => CsmId,
        /// ≤ 64 characters.
        se_id: String => SeId,
        /// ≤ 64 characters.
        designer_id: String => DesignerId,
        /// ≤ 64 characters.
        product_ops_id: String => ProductOpsId,
        /// ≤ 10,000 characters.
        notes: String => Notes,
        /// Kept consistent with `state`.
        waiting_on_customer: bool => WaitingOnCustomer,
        /// When the setup wizard was finished.
        wizard_completed_at: Timestamp => WizardCompletedAt,
        /// Send reminder emails.
        reminder_email: bool => ReminderEmail,
        /// Send reminder Slack messages.
        reminder_slack: bool => ReminderSlack,
        /// 0–90; at least 1 while a reminder is on.
        reminder_frequency_days: i64 => ReminderFrequencyDays,
    }
    extra {
        /// Why a phase is skipped or moved backward; recorded on the transition.
        reason: Option<String>,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_set_and_clear() {
        let p = CustomerPatch {
            plan: Some("pro".into()),
            clear: vec![CustomerField::Domain],
            ..Default::default()
        };
        let core = p.clone().into_core().unwrap();
        assert_eq!(core.plan, Patch::Set("pro".into()));
        assert_eq!(core.domain, Patch::Clear);
        assert_eq!(core.name, Patch::Unchanged);
        assert_eq!(CustomerPatch::from_core(core), p);
        assert_eq!(p.to_json().unwrap(), r#"{"domain":null,"plan":"pro"}"#);
    }

    #[test]
    fn set_and_clear_together_conflict() {
        let p = ContactPatch {
            title: Some("CTO".into()),
            clear: vec![ContactField::Title],
            ..Default::default()
        };
        let e = p.into_core().unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::ConflictingFields, Some("title"))
        );
    }

    #[test]
    fn onboarding_patches_carry_the_reason() {
        let body = serde_json::json!({"phase": "launch", "reason": "skip", "target_launch_date": "2026-07-15"});
        let core = pivotal_core::wire::onboarding_patch(&body).unwrap();
        let p = OnboardingPatch::from_core(core);
        assert_eq!(
            (p.phase, p.reason.as_deref()),
            (Some(Phase::Launch), Some("skip"))
        );
        assert_eq!(
            p.to_json().unwrap(),
            r#"{"phase":"launch","target_launch_date":"2026-07-15T00:00:00.000Z","reason":"skip"}"#
        );
        assert_eq!(
            OnboardingField::WizardCompletedAt.to_string(),
            "wizard_completed_at"
        );
    }
}
