//! `pivotal`: import, export, browse and check a pivotal-core store file from the shell.
//!
//! Exit codes: 0 on success, 1 for a usage error (clap's included) or a file the command cannot
//! read or write, 2 for a Pivotal error (printed as `error: <type>/<code>: <message> (field …)`,
//! or as the API's error envelope with `--json`).

mod args;
mod commands;
mod demo;
mod fail;
mod output;
mod progress;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // Help and version go to stdout and succeed; every other clap error is usage (1).
            return ExitCode::from(u8::from(e.use_stderr()));
        }
    };
    let json = cli.json;
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => ExitCode::from(failure.report(json)),
    }
}
