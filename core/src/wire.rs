//! JSON input: create parameters and patches read from the API's request bodies, with the API's
//! errors (`unknown_field`, `invalid_type`, `missing_field`, …), and wire objects read back for import.

use crate::error::{Error, ErrorCode, Result};
use crate::model::time::{parse_instant, parse_instant_or_date};
use crate::model::{
    Contact, ContactParams, ContactPatch, Customer, CustomerParams, CustomerPatch, Event, Metadata,
    Onboarding, OnboardingParams, OnboardingPatch, Patch, PhaseTransition, Timestamp,
    UnknownVariant,
};
use crate::validate;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::str::FromStr;

/// Parses JSON text; malformed text is an `invalid_request_error`, and so is a document nested
/// deeper than [`validate::MAX_DOCUMENT_NESTING`] (`invalid_type`, field `body`).
pub fn parse(text: &str) -> Result<Value> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        if e.to_string().starts_with("recursion limit exceeded") {
            validate::too_deep("body", validate::MAX_DOCUMENT_NESTING)
        } else {
            Error::new(ErrorCode::InvalidType, format!("malformed JSON: {e}"))
        }
    })?;
    validate::max_nesting("body", &value, validate::MAX_DOCUMENT_NESTING)?;
    Ok(value)
}

/// The fields of one JSON object, checked against the names a request accepts.
struct Fields<'a>(&'a Map<String, Value>);

impl<'a> Fields<'a> {
    fn new(value: &'a Value, accepted: &[&str]) -> Result<Self> {
        let map = value
            .as_object()
            .ok_or_else(|| Error::new(ErrorCode::InvalidType, "the body must be a JSON object"))?;
        if let Some(unknown) = map.keys().find(|k| !accepted.contains(&k.as_str())) {
            return Err(Error::field(
                ErrorCode::UnknownField,
                unknown.as_str(),
                format!("unknown field `{unknown}`"),
            ));
        }
        Ok(Self(map))
    }

    /// Absent → `Unchanged`, `null` → `Clear`, anything else converted.
    fn patch<T>(&self, name: &str, convert: fn(&str, &Value) -> Result<T>) -> Result<Patch<T>> {
        match self.0.get(name) {
            None => Ok(Patch::Unchanged),
            Some(Value::Null) => Ok(Patch::Clear),
            Some(v) => convert(name, v).map(Patch::Set),
        }
    }

    /// Absent or `null` → `None`.
    fn opt<T>(&self, name: &str, convert: fn(&str, &Value) -> Result<T>) -> Result<Option<T>> {
        Ok(match self.patch(name, convert)? {
            Patch::Set(v) => Some(v),
            _ => None,
        })
    }

    fn required<T>(&self, name: &str, convert: fn(&str, &Value) -> Result<T>) -> Result<T> {
        self.opt(name, convert)?.ok_or_else(|| {
            Error::field(
                ErrorCode::MissingField,
                name,
                format!("`{name}` is required"),
            )
        })
    }
}

fn wrong_type(field: &str, expected: &str) -> Error {
    Error::field(
        ErrorCode::InvalidType,
        field,
        format!("`{field}` must be {expected}"),
    )
}

fn string(field: &str, v: &Value) -> Result<String> {
    v.as_str()
        .map(str::to_owned)
        .ok_or_else(|| wrong_type(field, "a string"))
}

fn integer(field: &str, v: &Value) -> Result<i64> {
    v.as_i64().ok_or_else(|| wrong_type(field, "an integer"))
}

fn boolean(field: &str, v: &Value) -> Result<bool> {
    v.as_bool().ok_or_else(|| wrong_type(field, "a boolean"))
}

fn enumeration<T: FromStr<Err = UnknownVariant>>(field: &str, v: &Value) -> Result<T> {
    let s = v.as_str().ok_or_else(|| wrong_type(field, "a string"))?;
    parse_enum(field, s)
}

/// An enumeration value from its wire string; any other string is `invalid_enum_value` naming
/// `field` and listing the accepted values.
pub fn parse_enum<T: FromStr<Err = UnknownVariant>>(field: &str, s: &str) -> Result<T> {
    s.parse().map_err(|e: UnknownVariant| {
        Error::field(
            ErrorCode::InvalidEnumValue,
            field,
            format!(
                "`{s}` is not a valid `{field}`; expected one of: {}",
                e.expected.join(", ")
            ),
        )
    })
}

fn timestamp_with(
    field: &str,
    v: &Value,
    parse: fn(&str) -> Option<Timestamp>,
) -> Result<Timestamp> {
    let s = v
        .as_str()
        .ok_or_else(|| wrong_type(field, "an RFC 3339 timestamp string"))?;
    parse(s).ok_or_else(|| {
        Error::field(
            ErrorCode::InvalidTimestamp,
            field,
            format!("`{field}` must be an RFC 3339 instant, not `{s}`"),
        )
    })
}

fn instant(field: &str, v: &Value) -> Result<Timestamp> {
    timestamp_with(field, v, parse_instant)
}

fn instant_or_date(field: &str, v: &Value) -> Result<Timestamp> {
    timestamp_with(field, v, parse_instant_or_date)
}

fn metadata(field: &str, v: &Value) -> Result<Metadata> {
    v.as_object()
        .cloned()
        .ok_or_else(|| wrong_type(field, "an object"))
}

fn strings(field: &str, v: &Value) -> Result<Vec<String>> {
    let items = v
        .as_array()
        .ok_or_else(|| wrong_type(field, "a list of strings"))?;
    items.iter().map(|i| string(field, i)).collect()
}

const CUSTOMER_FIELDS: &[&str] = &[
    "name",
    "slug",
    "domain",
    "status",
    "plan",
    "mrr",
    "monthly_orders",
    "hubspot_company_id",
    "hubspot_deal_id",
    "stripe_customer_id",
    "intercom_company_id",
    "slack_channel_id",
    "metadata",
];

/// Reads the body of `POST /customers`.
pub fn customer_params(body: &Value) -> Result<CustomerParams> {
    let f = Fields::new(body, CUSTOMER_FIELDS)?;
    Ok(CustomerParams {
        name: f.required("name", string)?,
        slug: f.opt("slug", string)?,
        domain: f.opt("domain", string)?,
        status: f.opt("status", enumeration)?,
        plan: f.opt("plan", string)?,
        mrr: f.opt("mrr", integer)?,
        monthly_orders: f.opt("monthly_orders", integer)?,
        hubspot_company_id: f.opt("hubspot_company_id", string)?,
        hubspot_deal_id: f.opt("hubspot_deal_id", string)?,
        stripe_customer_id: f.opt("stripe_customer_id", string)?,
        intercom_company_id: f.opt("intercom_company_id", string)?,
        slack_channel_id: f.opt("slack_channel_id", string)?,
        metadata: f.opt("metadata", metadata)?,
    })
}

/// Reads the body of `PATCH /customers/{id}`.
pub fn customer_patch(body: &Value) -> Result<CustomerPatch> {
    let f = Fields::new(body, CUSTOMER_FIELDS)?;
    Ok(CustomerPatch {
        name: f.patch("name", string)?,
        slug: f.patch("slug", string)?,
        domain: f.patch("domain", string)?,
        status: f.patch("status", enumeration)?,
        plan: f.patch("plan", string)?,
        mrr: f.patch("mrr", integer)?,
        monthly_orders: f.patch("monthly_orders", integer)?,
        hubspot_company_id: f.patch("hubspot_company_id", string)?,
        hubspot_deal_id: f.patch("hubspot_deal_id", string)?,
        stripe_customer_id: f.patch("stripe_customer_id", string)?,
        intercom_company_id: f.patch("intercom_company_id", string)?,
        slack_channel_id: f.patch("slack_channel_id", string)?,
        metadata: f.patch("metadata", metadata)?,
    })
}

const CONTACT_FIELDS: &[&str] = &["name", "email", "title", "phone", "is_primary", "labels"];

/// Reads the body of `POST /customers/{id}/contacts`.
pub fn contact_params(body: &Value) -> Result<ContactParams> {
    let f = Fields::new(body, CONTACT_FIELDS)?;
    Ok(ContactParams {
        name: f.required("name", string)?,
        email: f.required("email", string)?,
        title: f.opt("title", string)?,
        phone: f.opt("phone", string)?,
        is_primary: f.opt("is_primary", boolean)?,
        labels: f.opt("labels", strings)?,
    })
}

/// Reads the body of `PATCH /contacts/{id}`.
pub fn contact_patch(body: &Value) -> Result<ContactPatch> {
    let f = Fields::new(body, CONTACT_FIELDS)?;
    Ok(ContactPatch {
        name: f.patch("name", string)?,
        email: f.patch("email", string)?,
        title: f.patch("title", string)?,
        phone: f.patch("phone", string)?,
        is_primary: f.patch("is_primary", boolean)?,
        labels: f.patch("labels", strings)?,
    })
}

const ONBOARDING_FIELDS: &[&str] = &[
    "customer_id",
    "template_id",
    "phase",
    "state",
    "started_at",
    "target_launch_date",
    "csm_id",
    "se_id",
    "designer_id",
    "product_ops_id",
    "notes",
    "waiting_on_customer",
    "wizard_completed_at",
    "reminder_email",
    "reminder_slack",
    "reminder_frequency_days",
    "reason",
];

/// Reads the body of `POST /onboardings`.
pub fn onboarding_params(body: &Value) -> Result<OnboardingParams> {
    let f = Fields::new(body, &ONBOARDING_FIELDS[..ONBOARDING_FIELDS.len() - 1])?;
    Ok(OnboardingParams {
        customer_id: f.required("customer_id", string)?,
        template_id: f.opt("template_id", string)?,
        phase: f.opt("phase", enumeration)?,
        state: f.opt("state", enumeration)?,
        started_at: f.opt("started_at", instant)?,
        target_launch_date: f.opt("target_launch_date", instant_or_date)?,
        csm_id: f.opt("csm_id", string)?,
        se_id: f.opt("se_id", string)?,
        designer_id: f.opt("designer_id", string)?,
        product_ops_id: f.opt("product_ops_id", string)?,
        notes: f.opt("notes", string)?,
        waiting_on_customer: f.opt("waiting_on_customer", boolean)?,
        wizard_completed_at: f.opt("wizard_completed_at", instant)?,
        reminder_email: f.opt("reminder_email", boolean)?,
        reminder_slack: f.opt("reminder_slack", boolean)?,
        reminder_frequency_days: f.opt("reminder_frequency_days", integer)?,
    })
}

/// Reads the body of `PATCH /onboardings/{id}` (`customer_id` is not updatable).
pub fn onboarding_patch(body: &Value) -> Result<OnboardingPatch> {
    let f = Fields::new(body, &ONBOARDING_FIELDS[1..])?;
    Ok(OnboardingPatch {
        template_id: f.patch("template_id", string)?,
        phase: f.patch("phase", enumeration)?,
        state: f.patch("state", enumeration)?,
        started_at: f.patch("started_at", instant)?,
        target_launch_date: f.patch("target_launch_date", instant_or_date)?,
        csm_id: f.patch("csm_id", string)?,
        se_id: f.patch("se_id", string)?,
        designer_id: f.patch("designer_id", string)?,
        product_ops_id: f.patch("product_ops_id", string)?,
        notes: f.patch("notes", string)?,
        waiting_on_customer: f.patch("waiting_on_customer", boolean)?,
        wizard_completed_at: f.patch("wizard_completed_at", instant)?,
        reminder_email: f.patch("reminder_email", boolean)?,
        reminder_slack: f.patch("reminder_slack", boolean)?,
        reminder_frequency_days: f.patch("reminder_frequency_days", integer)?,
        reason: f.opt("reason", string)?,
    })
}

/// Reads the body of `POST /api_keys`: `{"name"}`, the key's name.
pub fn api_key_name(body: &Value) -> Result<String> {
    Fields::new(body, &["name"])?.required("name", string)
}

/// Reads the body of `POST /workspaces`: `{"name", "slug"?}`.
pub fn workspace_params(body: &Value) -> Result<(String, Option<String>)> {
    let f = Fields::new(body, &["name", "slug"])?;
    Ok((f.required("name", string)?, f.opt("slug", string)?))
}

/// A list envelope read back: its items (each still to be read by its own `object` tag), and the
/// page's `has_more` and `next_cursor`.
#[derive(Debug, Clone, PartialEq)]
pub struct ListEnvelope<'a> {
    /// The records, as JSON.
    pub data: &'a [Value],
    /// Whether more records follow.
    pub has_more: bool,
    /// The cursor of the next page.
    pub next_cursor: Option<String>,
}

/// Reads a list envelope as the API returns it: `{"object":"list","data":[…],"has_more",
/// "next_cursor"}`, nested at most [`validate::MAX_DOCUMENT_NESTING`] levels; anything else is
/// `invalid_type`.
pub fn list_envelope(value: &Value) -> Result<ListEnvelope<'_>> {
    validate::max_nesting("list", value, validate::MAX_DOCUMENT_NESTING)?;
    let invalid = |message: &str| Error::new(ErrorCode::InvalidType, message);
    if value.get("object").and_then(Value::as_str) != Some("list") {
        return Err(Error::field(
            ErrorCode::InvalidType,
            "object",
            "expected `\"object\": \"list\"`",
        ));
    }
    let data = value
        .get("data")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid("`data` must be a list"))?;
    let has_more = value
        .get("has_more")
        .and_then(Value::as_bool)
        .ok_or_else(|| invalid("`has_more` must be a bool"))?;
    let next_cursor = match value.get("next_cursor") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(invalid("`next_cursor` must be a string or null")),
    };
    Ok(ListEnvelope {
        data,
        has_more,
        next_cursor,
    })
}

/// Reads a wire object that carries `"object": kind` (any record, report or envelope the API
/// returns): a missing or other tag is `invalid_type` (field `object`).
pub fn tagged<T: DeserializeOwned>(value: &Value, kind: &str) -> Result<T> {
    validate::max_nesting(kind, value, validate::MAX_DOCUMENT_NESTING)?;
    if value.get("object").and_then(Value::as_str) != Some(kind) {
        return Err(Error::field(
            ErrorCode::InvalidType,
            "object",
            format!("expected `\"object\": \"{kind}\"`"),
        ));
    }
    untagged(value, &format!("{kind} object"))
}

/// Reads a wire object without an `object` tag; `what` names it in the `invalid_type` error.
pub fn untagged<T: DeserializeOwned>(value: &Value, what: &str) -> Result<T> {
    serde_json::from_value(value.clone())
        .map_err(|e| Error::new(ErrorCode::InvalidType, format!("not a valid {what}: {e}")))
}

/// Reads a customer object as the API returns it (for import and round trips).
pub fn customer(value: &Value) -> Result<Customer> {
    let customer: Customer = tagged(value, "customer")?;
    validate::metadata(&customer.metadata)?;
    Ok(customer)
}

/// Reads a contact object as the API returns it.
pub fn contact(value: &Value) -> Result<Contact> {
    tagged(value, "contact")
}

/// Reads an onboarding object as the API returns it.
pub fn onboarding(value: &Value) -> Result<Onboarding> {
    tagged(value, "onboarding")
}

/// Reads an event object as the API returns it.
pub fn event(value: &Value) -> Result<Event> {
    tagged(value, "event")
}

/// Reads a phase transition object as the API returns it.
pub fn phase_transition(value: &Value) -> Result<PhaseTransition> {
    tagged(value, "phase_transition")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err<T: std::fmt::Debug>(r: Result<T>) -> (ErrorCode, Option<String>) {
        let e = r.unwrap_err();
        (e.code, e.field)
    }

    #[test]
    fn list_envelopes_are_read_strictly() {
        let page = json!({"object": "list", "data": [{"object": "x"}], "has_more": true, "next_cursor": "c"});
        let list = list_envelope(&page).unwrap();
        assert_eq!((list.data.len(), list.has_more), (1, true));
        assert_eq!(list.next_cursor.as_deref(), Some("c"));
        let last = json!({"object": "list", "data": [], "has_more": false, "next_cursor": null});
        assert_eq!(list_envelope(&last).unwrap().next_cursor, None);
        for bad in [
            json!({"object": "customer", "data": [], "has_more": false}),
            json!({"object": "list", "data": {}, "has_more": false}),
            json!({"object": "list", "data": [], "has_more": "no"}),
            json!({"object": "list", "data": [], "has_more": false, "next_cursor": 5}),
        ] {
            assert_eq!(
                list_envelope(&bad).unwrap_err().code,
                ErrorCode::InvalidType,
                "{bad}"
            );
        }
    }

    #[test]
    fn unknown_and_read_only_fields_are_refused() {
        assert_eq!(
            err(customer_params(&json!({"name": "A", "nmae": 1}))),
            (ErrorCode::UnknownField, Some("nmae".into()))
        );
        assert_eq!(
            err(customer_patch(&json!({"id": "cus_x"}))),
            (ErrorCode::UnknownField, Some("id".into()))
        );
        assert_eq!(
            err(onboarding_patch(&json!({"customer_id": "cus_x"}))),
            (ErrorCode::UnknownField, Some("customer_id".into()))
        );
        assert_eq!(
            err(onboarding_params(
                &json!({"customer_id": "1", "reason": "x"})
            ))
            .0,
            ErrorCode::UnknownField
        );
    }

    #[test]
    fn types_and_required_fields() {
        assert_eq!(
            err(customer_params(&json!({}))),
            (ErrorCode::MissingField, Some("name".into()))
        );
        assert_eq!(
            err(customer_params(&json!({"name": null}))).0,
            ErrorCode::MissingField
        );
        assert_eq!(
            err(customer_params(&json!({"name": 5}))),
            (ErrorCode::InvalidType, Some("name".into()))
        );
        assert_eq!(
            err(customer_params(&json!({"name": "A", "mrr": 1.5}))).0,
            ErrorCode::InvalidType
        );
        assert_eq!(
            err(customer_params(&json!({"name": "A", "status": "gone"}))).0,
            ErrorCode::InvalidEnumValue
        );
        assert_eq!(err(customer_params(&json!([1]))).0, ErrorCode::InvalidType);
        assert_eq!(
            err(onboarding_params(
                &json!({"customer_id": "1", "started_at": "2026-07-15"})
            ))
            .0,
            ErrorCode::InvalidTimestamp
        );
        assert!(onboarding_params(
            &json!({"customer_id": "1", "target_launch_date": "2026-07-15"})
        )
        .is_ok());
        assert_eq!(err(parse("{")).0, ErrorCode::InvalidType);
    }

    #[test]
    fn patches_tell_absent_from_null_from_value() {
        let p = customer_patch(&json!({"plan": null, "mrr": 5})).unwrap();
        assert_eq!(
            (p.plan, p.mrr, p.domain),
            (Patch::Clear, Patch::Set(5), Patch::Unchanged)
        );
    }

    #[test]
    fn the_fixture_round_trips() {
        let text = include_str!("../tests/fixtures/list-customer-onboardings.json");
        let list = parse(text).unwrap();
        for record in list["data"].as_array().unwrap() {
            let o = onboarding(record).unwrap();
            let back = serde_json::to_value(&o).unwrap();
            let (a, b) = (record.as_object().unwrap(), back.as_object().unwrap());
            assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
            for (k, v) in a {
                match (
                    v.as_str().and_then(parse_instant),
                    b[k].as_str().and_then(parse_instant),
                ) {
                    (Some(x), Some(y)) => assert_eq!(x, y, "{k}"),
                    _ => assert_eq!(v, &b[k], "{k}"),
                }
            }
        }
        assert_eq!(err(customer(&list["data"][0])).0, ErrorCode::InvalidType);
        // Display ids count from 1: a wire object with another one is refused.
        for bad in [0, -5] {
            let mut o = list["data"][0].clone();
            o["display_id"] = bad.into();
            assert_eq!(err(onboarding(&o)).0, ErrorCode::InvalidType, "{bad}");
        }
    }
}
