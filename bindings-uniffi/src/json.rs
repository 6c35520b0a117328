//! Reading the API's JSON: objects (for import and round trips) and request bodies (create
//! parameters and patches), with the API's own errors (`unknown_field`, `invalid_type`, …).
//! Writing is each record's `to_json()`.

use crate::analytics::{OnboardingMetrics, WorkspaceReport};
use crate::error::{guard, PivotalError};
use crate::patch::{ContactPatch, CustomerPatch, OnboardingPatch};
use crate::types::{
    Bridge, Contact, ContactParams, Customer, CustomerParams, Event, Onboarding, OnboardingParams,
    PhaseTransition,
};
use pivotal_core::wire;
use serde_json::Value;

fn read<T>(
    json: &str,
    convert: impl FnOnce(&Value) -> pivotal_core::Result<T>,
) -> Result<T, PivotalError> {
    guard(|| Ok(convert(&wire::parse(json)?)?))
}

/// Reads a customer object as the API returns it.
#[uniffi::export]
pub fn customer_from_json(json: String) -> Result<Customer, PivotalError> {
    read(&json, |v| wire::customer(v).map(Customer::from_core))
}

/// Reads a contact object as the API returns it.
#[uniffi::export]
pub fn contact_from_json(json: String) -> Result<Contact, PivotalError> {
    read(&json, |v| wire::contact(v).map(Contact::from_core))
}

/// Reads an onboarding object as the API returns it.
#[uniffi::export]
pub fn onboarding_from_json(json: String) -> Result<Onboarding, PivotalError> {
    read(&json, |v| wire::onboarding(v).map(Onboarding::from_core))
}

/// Reads an event object as the API returns it.
#[uniffi::export]
pub fn event_from_json(json: String) -> Result<Event, PivotalError> {
    read(&json, |v| wire::event(v).map(Event::from_core))
}

/// Reads a phase transition object as the API returns it.
#[uniffi::export]
pub fn phase_transition_from_json(json: String) -> Result<PhaseTransition, PivotalError> {
    read(&json, |v| {
        wire::phase_transition(v).map(PhaseTransition::from_core)
    })
}

/// Reads an onboarding's metrics as `to_json()` writes them (`"object": "onboarding_metrics"`).
#[uniffi::export]
pub fn onboarding_metrics_from_json(json: String) -> Result<OnboardingMetrics, PivotalError> {
    read(&json, |v| {
        wire::tagged(v, "onboarding_metrics").map(OnboardingMetrics::from_core)
    })
}

/// Reads a workspace report as `to_json()` writes it (`"object": "workspace_report"`).
#[uniffi::export]
pub fn workspace_report_from_json(json: String) -> Result<WorkspaceReport, PivotalError> {
    read(&json, |v| {
        wire::tagged(v, "workspace_report").map(WorkspaceReport::from_core)
    })
}

/// Reads the body of `POST /customers`.
#[uniffi::export]
pub fn customer_params_from_json(json: String) -> Result<CustomerParams, PivotalError> {
    read(&json, |v| {
        wire::customer_params(v).map(CustomerParams::from_core)
    })
}

/// Reads the body of `PATCH /customers/{id}` (`null` lists the field in `clear`).
#[uniffi::export]
pub fn customer_patch_from_json(json: String) -> Result<CustomerPatch, PivotalError> {
    read(&json, |v| {
        wire::customer_patch(v).map(CustomerPatch::from_core)
    })
}

/// Reads the body of `POST /customers/{id}/contacts`.
#[uniffi::export]
pub fn contact_params_from_json(json: String) -> Result<ContactParams, PivotalError> {
    read(&json, |v| {
        wire::contact_params(v).map(ContactParams::from_core)
    })
}

/// Reads the body of `PATCH /contacts/{id}` (`null` lists the field in `clear`).
#[uniffi::export]
pub fn contact_patch_from_json(json: String) -> Result<ContactPatch, PivotalError> {
    read(&json, |v| {
        wire::contact_patch(v).map(ContactPatch::from_core)
    })
}

/// Reads the body of `POST /onboardings`.
#[uniffi::export]
pub fn onboarding_params_from_json(json: String) -> Result<OnboardingParams, PivotalError> {
    read(&json, |v| {
        wire::onboarding_params(v).map(OnboardingParams::from_core)
    })
}

/// Reads the body of `PATCH /onboardings/{id}` (`null` lists the field in `clear`; `reason` allowed).
#[uniffi::export]
pub fn onboarding_patch_from_json(json: String) -> Result<OnboardingPatch, PivotalError> {
    read(&json, |v| {
        wire::onboarding_patch(v).map(OnboardingPatch::from_core)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_round_trip() {
        let text = include_str!("../../tests/fixtures/list-customer-onboardings.json");
        let list: Value = serde_json::from_str(text).unwrap();
        for record in list["data"].as_array().unwrap() {
            let o = onboarding_from_json(record.to_string()).unwrap();
            let back = onboarding_from_json(o.to_json().unwrap()).unwrap();
            assert_eq!(back, o);
        }
        let e = customer_from_json(list["data"][0].to_string())
            .unwrap_err()
            .info();
        assert_eq!(
            (e.code.as_str(), e.field.as_deref()),
            ("invalid_type", Some("object"))
        );
        assert_eq!(
            event_from_json("{}".into()).unwrap_err().info().code,
            "invalid_type"
        );
    }

    #[test]
    fn request_bodies_use_the_api_errors() {
        let e = customer_params_from_json(r#"{"name":"A","nmae":1}"#.into())
            .unwrap_err()
            .info();
        assert_eq!(
            (e.code.as_str(), e.field.as_deref()),
            ("unknown_field", Some("nmae"))
        );
        assert_eq!(
            contact_params_from_json("{".into())
                .unwrap_err()
                .info()
                .code,
            "invalid_type"
        );
        let p = customer_patch_from_json(r#"{"plan":null,"mrr":5}"#.into()).unwrap();
        assert_eq!(p.to_json().unwrap(), r#"{"plan":null,"mrr":5}"#);
    }
}
