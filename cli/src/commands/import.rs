//! `pivotal import FILE…`: each file is one `import_json` call of the core, in order (so a file
//! may refer to customers of an earlier one); a failing file stops the command, the files before
//! it staying imported. With `--json`, one summary of all files; each listed error names its
//! file, item index and line, and carries the API's error object.

use crate::args::{ImportArgs, OnErrorArg};
use crate::fail::{describe, usage, Failure};
use crate::output;
use crate::progress::{Progress, Reader};
use pivotal_core::{ImportOptions, ImportSummary, OnError, Pivotal};
use serde_json::json;
use std::fs::File;
use std::io::{self, BufReader, Write};

pub fn run(
    db: &Pivotal,
    args: &ImportArgs,
    json: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let defaults = ImportOptions::default();
    let options = ImportOptions {
        on_error: match args.on_error {
            OnErrorArg::Stop => OnError::Stop,
            OnErrorArg::Skip => OnError::Skip,
        },
        chunk_size: args.chunk_size.map_or(defaults.chunk_size, |n| {
            usize::try_from(n).unwrap_or(usize::MAX)
        }),
        ..defaults
    };
    let mut total = ImportSummary::default();
    let mut errors = Vec::new();
    for name in &args.files {
        let summary = import_file(db, name, &options)?;
        if !json {
            writeln!(out, "{name}: {}", counts(&summary))?;
        }
        for e in &summary.errors {
            if json {
                errors.push(json!({
                    "file": name,
                    "index": e.position.index,
                    "line": e.position.line,
                    "error": e.error.to_json()["error"],
                }));
            } else {
                writeln!(out, "  skipped {}: {}", e.position, describe(&e.error))?;
            }
        }
        total.created += summary.created;
        total.updated += summary.updated;
        total.unchanged += summary.unchanged;
        total.skipped += summary.skipped;
    }
    if json {
        output::json(
            out,
            &json!({
                "object": "import_summary",
                "created": total.created,
                "updated": total.updated,
                "unchanged": total.unchanged,
                "skipped": total.skipped,
                "errors": errors,
            }),
        )?;
    } else if args.files.len() > 1 {
        writeln!(out, "total: {}", counts(&total))?;
    }
    Ok(())
}

/// Imports one file (`-`: standard input); the core's error names the file first.
fn import_file(
    db: &Pivotal,
    name: &str,
    options: &ImportOptions,
) -> Result<ImportSummary, Failure> {
    let named = |e: pivotal_core::Error| {
        let message = format!("{name}: {}", e.message);
        Failure::Pivotal(e.with_message(message))
    };
    if name == "-" {
        let stdin = io::stdin();
        let reader = Reader::new(stdin.lock(), Progress::new("importing stdin", None));
        return db.import_json(reader, options).map_err(named);
    }
    let file = File::open(name).map_err(|e| usage(format!("cannot open {name}: {e}")))?;
    let size = file.metadata().ok().map(|m| m.len());
    let reader = Reader::new(
        BufReader::with_capacity(1 << 16, file),
        Progress::new(format!("importing {name}"), size),
    );
    db.import_json(reader, options).map_err(named)
}

fn counts(s: &ImportSummary) -> String {
    format!(
        "{} created, {} updated, {} unchanged, {} skipped",
        s.created, s.updated, s.unchanged, s.skipped
    )
}
