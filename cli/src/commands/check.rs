//! `pivotal check`: the core's store check (integrity, schema version, records per kind).

use crate::fail::Failure;
use crate::output;
use pivotal_core::store::display_location;
use pivotal_core::Pivotal;
use std::io::Write;
use std::path::Path;

pub fn run(db: &Pivotal, path: &Path, json: bool, out: &mut dyn Write) -> Result<(), Failure> {
    let report = db.check()?;
    if json {
        output::json(out, &report)?;
        return Ok(());
    }
    writeln!(
        out,
        "{}: {} (integrity check passed), schema version {}, pivotal-core {}",
        display_location(&path.to_string_lossy()),
        report.status,
        report.schema_version,
        report.version
    )?;
    writeln!(
        out,
        "workspace {}, {} mode:",
        report.workspace,
        if report.livemode { "live" } else { "test" }
    )?;
    output::fields(out, &output::to_value(&report.counts))?;
    Ok(())
}
