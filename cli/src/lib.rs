//! `pivotal`: import, export, browse and check a pivotal-core store file from the shell.
//!
//! The tool is this library's [`main_with_args`], so that the `pivotal` binary and the Python
//! package's `pivotal` console script run one implementation.
//!
//! Exit codes: 0 on success, 1 for a usage error (clap's included) or a file the command cannot
//! read or write, 2 for a Pivotal error (printed as `error: <type>/<code>: <message> (field …)`,
//! or as the API's error envelope with `--json`; a panic is reported as the core's `internal`
//! error).

mod args;
mod commands;
mod demo;
mod fail;
mod output;
mod progress;

use clap::Parser;
use pivotal_core::Error;
use std::ffi::OsString;

/// Runs the command line `args` (the program name first, as in `std::env::args_os()`), printing
/// on stdout and stderr, and returns the exit code.
pub fn main_with_args<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match args::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // Help and version go to stdout and succeed; every other clap error is usage (1).
            return u8::from(e.use_stderr());
        }
    };
    let json = cli.json;
    match Error::catch_panic(|| commands::run(cli)) {
        Ok(()) => 0,
        Err(failure) => failure.report(json),
    }
}
