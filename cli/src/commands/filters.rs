//! The lists' filters from the command line, read by the core's own parsers: a bad value is the
//! error the API gives (`invalid_enum_value`, exit 2); a filter the list has not is usage (exit 1).

use crate::args::{name_of, Filters, ListKind};
use crate::fail::{usage, Failure};
use pivotal_core::wire::parse_enum;
use pivotal_core::{CustomerListParams, EventListParams, ExportList, OnboardingListParams};

/// The list `kind` with `filters`.
pub fn list(kind: ListKind, filters: &Filters) -> Result<ExportList, Failure> {
    let name = name_of(&kind);
    let given = [
        ("status", filters.status.is_some()),
        ("slug", filters.slug.is_some()),
        ("customer", filters.customer.is_some()),
        ("phase", filters.phase.is_some()),
        ("state", filters.state.is_some()),
        ("after-sequence", filters.after_sequence.is_some()),
        ("type", !filters.types.is_empty()),
        ("object-id", filters.object_id.is_some()),
    ];
    let allowed: &[&str] = match kind {
        ListKind::Customers => &["status", "slug"],
        ListKind::Contacts => &["customer"],
        ListKind::Onboardings => &["customer", "phase", "state"],
        ListKind::Events => &["after-sequence", "type", "object-id"],
    };
    if let Some((flag, _)) = given
        .iter()
        .find(|(flag, present)| *present && !allowed.contains(flag))
    {
        return Err(usage(format!(
            "--{flag} does not filter {name} (their filters: --{})",
            allowed.join(", --")
        )));
    }
    Ok(match kind {
        ListKind::Customers => ExportList::Customers(CustomerListParams {
            status: filters
                .status
                .as_deref()
                .map(|s| parse_enum("status", s))
                .transpose()?,
            slug: filters.slug.clone(),
            ..Default::default()
        }),
        ListKind::Contacts => ExportList::Contacts(filters.customer.clone()),
        ListKind::Onboardings => ExportList::Onboardings(OnboardingListParams {
            customer_id: filters.customer.clone(),
            phase: filters
                .phase
                .as_deref()
                .map(|s| parse_enum("phase", s))
                .transpose()?,
            state: filters
                .state
                .as_deref()
                .map(|s| parse_enum("state", s))
                .transpose()?,
            ..Default::default()
        }),
        ListKind::Events => ExportList::Events(EventListParams {
            after_sequence: filters.after_sequence,
            types: filters
                .types
                .iter()
                .map(|t| parse_enum("type", t))
                .collect::<Result<_, _>>()?,
            object_id: filters.object_id.clone(),
            limit: None,
        }),
    })
}
