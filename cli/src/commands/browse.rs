//! `pivotal ls` (one page of a list, as a table) and `pivotal show REF` (one record).

use super::filters;
use crate::args::{name_of, ListKind, LsArgs, RecordKind, ShowArgs, TableKind};
use crate::fail::{usage, Failure};
use crate::output;
use pivotal_core::{Error, ErrorCode, ExportList, Pivotal};
use serde_json::Value;
use std::io::Write;

const CUSTOMER_COLUMNS: &[(&str, &str)] = &[
    ("#", "display_id"),
    ("ID", "id"),
    ("NAME", "name"),
    ("SLUG", "slug"),
    ("STATUS", "status"),
    ("PLAN", "plan"),
    ("MRR", "mrr"),
    ("CREATED", "created_at"),
];

const ONBOARDING_COLUMNS: &[(&str, &str)] = &[
    ("#", "display_id"),
    ("ID", "id"),
    ("CUSTOMER", "customer_id"),
    ("PHASE", "phase"),
    ("STATE", "state"),
    ("TARGET LAUNCH", "target_launch_date"),
    ("UPDATED", "updated_at"),
];

pub fn ls(db: &Pivotal, args: &LsArgs, json: bool, out: &mut dyn Write) -> Result<(), Failure> {
    let kind = match args.list {
        TableKind::Customers => ListKind::Customers,
        TableKind::Onboardings => ListKind::Onboardings,
    };
    let (page, columns) = match filters::list(kind, &args.filters)? {
        ExportList::Customers(mut params) => {
            params.limit = args.limit;
            params.cursor = args.cursor.clone();
            (
                output::to_value(&db.customers().list(&params)?),
                CUSTOMER_COLUMNS,
            )
        }
        ExportList::Onboardings(mut params) => {
            params.limit = args.limit;
            params.cursor = args.cursor.clone();
            (
                output::to_value(&db.onboardings().list(&params)?),
                ONBOARDING_COLUMNS,
            )
        }
        ExportList::Contacts(_) | ExportList::Events(_) => {
            return Err(usage("pivotal ls shows customers or onboardings"))
        }
    };
    if json {
        output::json(out, &page)?;
        return Ok(());
    }
    let rows = page["data"].as_array().cloned().unwrap_or_default();
    let name = name_of(&args.list);
    if rows.is_empty() {
        writeln!(out, "no {name}")?;
        return Ok(());
    }
    output::table(out, columns, &rows)?;
    if let Some(cursor) = page["next_cursor"].as_str() {
        writeln!(out, "… more: pivotal ls {name} --cursor {cursor}")?;
    }
    Ok(())
}

pub fn show(db: &Pivotal, args: &ShowArgs, json: bool, out: &mut dyn Write) -> Result<(), Failure> {
    let reference = args.reference.as_str();
    let is_number = !reference.is_empty() && reference.bytes().all(|b| b.is_ascii_digit());
    let kind = match (args.kind, is_number) {
        (Some(kind), _) => kind,
        (None, true) => only_match(db, reference)?,
        (None, false) => kind_of_id(reference)?,
    };
    let record = retrieve(db, kind, reference)?;
    if json {
        output::json(out, &record)?;
    } else {
        output::fields(out, &record)?;
    }
    Ok(())
}

fn retrieve(db: &Pivotal, kind: RecordKind, reference: &str) -> pivotal_core::Result<Value> {
    Ok(match kind {
        RecordKind::Customer => output::to_value(&db.customers().retrieve(reference)?),
        RecordKind::Contact => output::to_value(&db.contacts().retrieve(reference)?),
        RecordKind::Onboarding => output::to_value(&db.onboardings().retrieve(reference)?),
    })
}

/// The kind an id's prefix names.
fn kind_of_id(reference: &str) -> Result<RecordKind, Failure> {
    [
        ("cus_", RecordKind::Customer),
        ("con_", RecordKind::Contact),
        ("onb_", RecordKind::Onboarding),
    ]
    .into_iter()
    .find(|(prefix, _)| reference.starts_with(prefix))
    .map(|(_, kind)| kind)
    .ok_or_else(|| {
        usage(format!(
            "`{reference}` is neither a display id (a number) nor a customer (cus_…), \
             contact (con_…) or onboarding (onb_…) id"
        ))
    })
}

/// The one kind whose record has this display id; several are a usage error naming them (pass
/// `--kind`), none is the customer's `customer_not_found` saying no kind matched.
fn only_match(db: &Pivotal, number: &str) -> Result<RecordKind, Failure> {
    let mut matches = Vec::new();
    let mut first_missing = None;
    for kind in [
        RecordKind::Customer,
        RecordKind::Contact,
        RecordKind::Onboarding,
    ] {
        match retrieve(db, kind, number) {
            Ok(record) => matches.push((kind, output::text(&record["id"]))),
            Err(e) if e.error_type() == pivotal_core::ErrorType::NotFound => {
                first_missing.get_or_insert(e);
            }
            Err(e) => return Err(e.into()),
        }
    }
    match matches.as_slice() {
        [(kind, _)] => Ok(*kind),
        [] => Err(Failure::Pivotal(
            first_missing
                .unwrap_or_else(|| Error::new(ErrorCode::CustomerNotFound, ""))
                .with_message(format!(
                    "no customer, contact or onboarding has display id {number}"
                )),
        )),
        several => Err(usage(format!(
            "display id {number} names {}: pass --kind {}",
            several
                .iter()
                .map(|(kind, id)| {
                    let name = name_of(kind);
                    let article = if name.starts_with('o') { "an" } else { "a" };
                    format!("{article} {name} ({id})")
                })
                .collect::<Vec<_>>()
                .join(", "),
            several
                .iter()
                .map(|(kind, _)| name_of(kind))
                .collect::<Vec<_>>()
                .join("|")
        ))),
    }
}
