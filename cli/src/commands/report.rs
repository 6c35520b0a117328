//! `pivotal report`: the workspace report (docs/reference.md#analytics), as aligned fields or the API's JSON.

use crate::args::ReportArgs;
use crate::fail::Failure;
use crate::output;
use pivotal_core::model::time::parse_instant;
use pivotal_core::{Error, ErrorCode, Pivotal, WorkspaceReportParams};
use std::io::Write;

pub fn run(
    db: &Pivotal,
    args: &ReportArgs,
    json: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let as_of = args
        .as_of
        .as_deref()
        .map(|s| {
            parse_instant(s).ok_or_else(|| {
                Error::field(
                    ErrorCode::InvalidTimestamp,
                    "as_of",
                    format!("`as_of` must be an RFC 3339 instant, not `{s}`"),
                )
            })
        })
        .transpose()?;
    let report = db.analytics().workspace(&WorkspaceReportParams {
        as_of,
        customer_id: args.customer.clone(),
        csm_id: args.csm.clone(),
        template_id: args.template.clone(),
        stalled_after_days: args.stalled_after_days,
    })?;
    if json {
        output::json(out, &report)?;
    } else {
        output::fields(out, &output::to_value(&report))?;
    }
    Ok(())
}
