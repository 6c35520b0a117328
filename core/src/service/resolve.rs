//! Resolving references (id or display id) to visible records, or the right `not_found`.

use super::context::Ctx;
use crate::error::{Error, ErrorCode, Result};
use crate::model::{Contact, Customer, Onboarding, Ref};

fn not_found(code: ErrorCode, what: &str, reference: &str, field: Option<&str>) -> Error {
    let message = format!("no {what} `{reference}`");
    match field {
        Some(f) => Error::field(code, f, message),
        None => Error::new(code, message),
    }
}

/// The visible customer named by `reference`; `field` names the parameter in the error, if any.
pub(crate) fn customer(
    ctx: &mut Ctx<'_>,
    reference: &str,
    field: Option<&str>,
) -> Result<Customer> {
    let found = match Ref::parse(reference) {
        Ref::DisplayId(Some(n)) => ctx.tx.customer_by_display_id(ctx.scope, n)?,
        Ref::DisplayId(None) => None,
        Ref::Id(id) => ctx.tx.customer(ctx.scope, &id)?,
    };
    found.ok_or_else(|| not_found(ErrorCode::CustomerNotFound, "customer", reference, field))
}

/// The visible contact named by `reference`.
pub(crate) fn contact(ctx: &mut Ctx<'_>, reference: &str) -> Result<Contact> {
    let found = match Ref::parse(reference) {
        Ref::DisplayId(Some(n)) => ctx.tx.contact_by_display_id(ctx.scope, n)?,
        Ref::DisplayId(None) => None,
        Ref::Id(id) => ctx.tx.contact(ctx.scope, &id)?,
    };
    found.ok_or_else(|| not_found(ErrorCode::ContactNotFound, "contact", reference, None))
}

/// The visible onboarding named by `reference`.
pub(crate) fn onboarding(ctx: &mut Ctx<'_>, reference: &str) -> Result<Onboarding> {
    let found = match Ref::parse(reference) {
        Ref::DisplayId(Some(n)) => ctx.tx.onboarding_by_display_id(ctx.scope, n)?,
        Ref::DisplayId(None) => None,
        Ref::Id(id) => ctx.tx.onboarding(ctx.scope, &id)?,
    };
    found.ok_or_else(|| not_found(ErrorCode::OnboardingNotFound, "onboarding", reference, None))
}
