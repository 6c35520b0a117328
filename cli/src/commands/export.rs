//! `pivotal export LIST`: the core's export of the list, to standard output or a file.

use super::filters;
use crate::args::{name_of, ExportArgs, FormatArg};
use crate::fail::{usage, Failure};
use crate::output;
use crate::progress::{Progress, Writer};
use pivotal_core::{ExportFormat, Pivotal};
use serde_json::json;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};

pub fn run(
    db: &Pivotal,
    args: &ExportArgs,
    json: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let list = filters::list(args.list, &args.filters)?;
    // With --json and no --format, standard output is one JSON document: the list envelope.
    let format = args.format.unwrap_or(if json {
        FormatArg::Json
    } else {
        FormatArg::Ndjson
    });
    let core_format = match format {
        FormatArg::Ndjson => ExportFormat::Ndjson,
        FormatArg::Json => ExportFormat::Json,
        FormatArg::Csv => ExportFormat::Csv,
    };
    let list_name = name_of(&args.list);
    let label = format!("exporting {list_name}");
    let Some(path) = &args.output else {
        // No bar over the records themselves when they go to the terminal.
        let mut progress = Progress::new(label, None);
        if io::stdout().is_terminal() {
            progress = progress.hidden();
        }
        // Buffered before the progress, so that it counts 8 KiB blocks, not each token.
        let mut writer = BufWriter::new(Writer::new(&mut *out, progress));
        let exported = db
            .export(&list, core_format, &mut writer)
            .map_err(Failure::from)
            .and_then(|_| writer.flush().map_err(Failure::from));
        return match exported {
            Err(_) if writer.get_ref().closed() => Err(Failure::Closed),
            other => other,
        };
    };
    let file =
        File::create(path).map_err(|e| usage(format!("cannot create {}: {e}", path.display())))?;
    let mut writer = BufWriter::new(Writer::new(file, Progress::new(label, None)));
    let written = db
        .export(&list, core_format, &mut writer)
        .map_err(Failure::from)
        .and_then(|count| {
            writer
                .flush()
                .map(|()| count)
                .map_err(|e| usage(format!("cannot write {}: {e}", path.display())))
        });
    // No half-written file is left behind.
    let count = written.inspect_err(|_| {
        let _ = std::fs::remove_file(path);
    })?;
    if json {
        output::json(
            out,
            &json!({
                "object": "export",
                "list": list_name,
                "format": name_of(&format),
                "count": count,
                "path": path.display().to_string(),
            }),
        )?;
    } else {
        writeln!(out, "{count} {list_name} written to {}", path.display())?;
    }
    Ok(())
}
