//! One import item read into a record: dispatched on `object`, its read-only fields taken as
//! given, every other field through the API's own request parsing and create validation.

use crate::error::{Error, ErrorCode, Result};
use crate::model::time::parse_instant;
use crate::model::{Contact, Customer, Onboarding, State, Timestamp};
use crate::rules;
use crate::service::{contacts, customers, onboardings};
use crate::wire;
use serde_json::{Map, Value};

/// The longest id an import keeps.
const ID_MAX: usize = 64;

/// The objects an import reads.
const IMPORTED: &[&str] = &["customer", "contact", "onboarding"];

/// A record as the import item gives it (a contact's `customer_id` not yet resolved).
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// A customer.
    Customer(Customer),
    /// A contact.
    Contact(Contact),
    /// An onboarding.
    Onboarding(Onboarding),
}

/// Reads an item: `invalid_request_error` naming the field for anything the API would refuse.
pub fn parse(value: Value) -> Result<Record> {
    let Value::Object(mut body) = value else {
        return Err(Error::new(
            ErrorCode::InvalidType,
            "an item must be a JSON object",
        ));
    };
    let object = match body.remove("object") {
        Some(Value::String(s)) => s,
        Some(_) => return Err(wrong_type("object", "a string")),
        None => {
            return Err(Error::field(
                ErrorCode::MissingField,
                "object",
                "`object` is required: `customer`, `contact` or `onboarding`",
            ))
        }
    };
    if !IMPORTED.contains(&object.as_str()) {
        return Err(not_imported(&object));
    }
    let meta = Meta::take(&mut body)?;
    match object.as_str() {
        "customer" => {
            let params = wire::customer_params(&Value::Object(body))?;
            let c = customers::validated(&params, meta.display_id, meta.created_at)?;
            Ok(Record::Customer(Customer {
                id: meta.id,
                updated_at: meta.updated_at,
                ..c
            }))
        }
        "contact" => {
            let customer_id = required(&mut body, "customer_id", string)?;
            let params = wire::contact_params(&Value::Object(body))?;
            let c = contacts::validated(&params, customer_id, meta.created_at)?;
            Ok(Record::Contact(Contact {
                id: meta.id,
                display_id: meta.display_id,
                updated_at: meta.updated_at,
                ..c
            }))
        }
        "onboarding" => onboarding(body, meta).map(Record::Onboarding),
        other => Err(not_imported(other)),
    }
}

/// The error for an `object` an import does not read.
fn not_imported(object: &str) -> Error {
    let message = match object {
        "event" | "phase_transition" => format!(
            "`{object}` objects are not imported: they are the change log of the store that \
             wrote them, and this store records its own (an import writes `<object>.imported` \
             and `<object>.updated` events)"
        ),
        other => format!(
            "`{other}` is not an object an import reads; expected one of: {}",
            IMPORTED.join(", ")
        ),
    };
    Error::field(ErrorCode::InvalidEnumValue, "object", message)
}

fn onboarding(mut body: Map<String, Value>, meta: Meta) -> Result<Onboarding> {
    let completed_at = optional(&mut body, "completed_at", instant)?;
    let waiting_since = optional(&mut body, "waiting_on_customer_since", instant)?;
    let params = wire::onboarding_params(&Value::Object(body))?;
    let o = onboardings::validated(&params, params.customer_id.clone(), meta.created_at)?;
    let state = rules::state::resolve(State::Active, params.state, params.waiting_on_customer)?;
    let o = Onboarding {
        id: meta.id,
        display_id: meta.display_id,
        phase: params.phase.unwrap_or(o.phase),
        state,
        waiting_on_customer: state == State::Waiting,
        waiting_on_customer_since: waiting_since,
        completed_at,
        updated_at: meta.updated_at,
        ..o
    };
    rules::onboarding::check_consistent(&o)?;
    Ok(o)
}

/// The fields the API sets and an import keeps: identity and timestamps.
struct Meta {
    id: String,
    display_id: i64,
    created_at: Timestamp,
    updated_at: Timestamp,
}

impl Meta {
    /// Takes the read-only fields out of `body`, checked.
    fn take(body: &mut Map<String, Value>) -> Result<Self> {
        let id = required(body, "id", string)?;
        check_id(&id)?;
        let display_id = required(body, "display_id", integer)?;
        if display_id < 1 {
            return Err(Error::field(
                ErrorCode::TooSmall,
                "display_id",
                "`display_id` must be at least 1",
            ));
        }
        Ok(Self {
            id,
            display_id,
            created_at: required(body, "created_at", instant)?,
            updated_at: required(body, "updated_at", instant)?,
        })
    }
}

/// An imported id: 1–64 ASCII letters, digits, `_` or `-`, not only digits (a reference made only
/// of digits is read as a display id, so such an id could never be named).
fn check_id(id: &str) -> Result<()> {
    if id.is_empty() {
        return Err(Error::field(
            ErrorCode::MissingField,
            "id",
            "`id` cannot be empty",
        ));
    }
    if id.len() > ID_MAX {
        return Err(Error::field(
            ErrorCode::TooLong,
            "id",
            format!("`id` must be at most {ID_MAX} characters"),
        ));
    }
    let allowed = id
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !allowed || id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::field(
            ErrorCode::InvalidType,
            "id",
            "`id` must be ASCII letters, digits, `_` and `-`, and not only digits",
        ));
    }
    Ok(())
}

fn wrong_type(field: &str, expected: &str) -> Error {
    Error::field(
        ErrorCode::InvalidType,
        field,
        format!("`{field}` must be {expected}"),
    )
}

fn string(field: &str, v: Value) -> Result<String> {
    match v {
        Value::String(s) => Ok(s),
        _ => Err(wrong_type(field, "a string")),
    }
}

fn integer(field: &str, v: Value) -> Result<i64> {
    v.as_i64().ok_or_else(|| wrong_type(field, "an integer"))
}

fn instant(field: &str, v: Value) -> Result<Timestamp> {
    let s = v
        .as_str()
        .ok_or_else(|| wrong_type(field, "an RFC 3339 timestamp string"))?;
    parse_instant(s).ok_or_else(|| {
        Error::field(
            ErrorCode::InvalidTimestamp,
            field,
            format!("`{field}` must be an RFC 3339 instant in the years 1 to 9999, not `{s}`"),
        )
    })
}

/// Takes `field` out of `body`: absent or `null` → `None`.
fn optional<T>(
    body: &mut Map<String, Value>,
    field: &str,
    convert: fn(&str, Value) -> Result<T>,
) -> Result<Option<T>> {
    match body.remove(field) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => convert(field, v).map(Some),
    }
}

fn required<T>(
    body: &mut Map<String, Value>,
    field: &str,
    convert: fn(&str, Value) -> Result<T>,
) -> Result<T> {
    optional(body, field, convert)?.ok_or_else(|| {
        Error::field(
            ErrorCode::MissingField,
            field,
            format!("`{field}` is required"),
        )
    })
}
