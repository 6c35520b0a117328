//! One module per command; this one opens the store and dispatches.

mod browse;
mod check;
mod events;
mod export;
mod filters;
mod import;
mod keys;
mod report;
mod serve;

use crate::args::{Cli, Command};
use crate::demo;
use crate::fail::{usage, Failure};
use pivotal_core::store::is_postgres_url;
use pivotal_core::Pivotal;
use std::io::{self, Write};
use std::path::Path;

/// The actor recorded on what the tool writes.
const ACTOR: &str = "pivotal-cli";

/// Runs the command line's command.
pub fn run(cli: Cli) -> Result<(), Failure> {
    let json = cli.json;
    let path = cli.db.ok_or_else(|| {
        usage(
            "no store file: pass --db PATH (or a postgresql:// URL) or set PIVOTAL_DB \
             (pivotal demo --db FILE makes one)",
        )
    })?;
    let stdout = io::stdout();
    let out = &mut io::BufWriter::new(stdout.lock());
    match cli.command {
        Command::Import(args) => import::run(&open(&path, true)?, &args, json, out)?,
        Command::Export(args) => export::run(&open(&path, false)?, &args, json, out)?,
        Command::Ls(args) => browse::ls(&open(&path, false)?, &args, json, out)?,
        Command::Show(args) => browse::show(&open(&path, false)?, &args, json, out)?,
        Command::Events(args) => events::run(&open(&path, false)?, &args, json, out)?,
        Command::Report(args) => report::run(&open(&path, false)?, &args, json, out)?,
        Command::Keys(command) => keys::run(&path, command, json, out)?,
        Command::Check => check::run(&open(&path, false)?, &path, json, out)?,
        Command::Demo => demo::run(&path, json, out)?,
        Command::Serve(args) => serve::run(&path, &args, out)?,
    }
    out.flush()?;
    Ok(())
}

/// Opens the store file, or the PostgreSQL database of a `postgresql://` URL; a command that only
/// reads refuses a file that does not exist rather than create an empty one.
pub fn open(path: &Path, create: bool) -> Result<Pivotal, Failure> {
    let url = path.to_str().is_some_and(is_postgres_url);
    if !create && !url && !path.exists() {
        return Err(usage(format!(
            "{} does not exist (pivotal import or pivotal demo creates a store file)",
            path.display()
        )));
    }
    Ok(Pivotal::options().actor(ACTOR).open(path)?)
}
