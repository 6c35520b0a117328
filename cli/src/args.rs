//! The command line, as clap reads it.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Import, export, browse and check a Pivotal store file (pivotal-core) from the shell.
#[derive(Debug, Parser)]
#[command(name = "pivotal", version, about, max_term_width = 100)]
pub struct Cli {
    /// The store: a SQLite file written by pivotal-core, or a PostgreSQL database
    /// (`postgresql://user@host/db`; the password from the URL or PGPASSWORD).
    #[arg(long, global = true, env = "PIVOTAL_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Print results as the API's JSON, and errors as its error envelope on stderr.
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import the API's JSON (objects, list envelopes, arrays, NDJSON), keeping ids and timestamps.
    Import(ImportArgs),
    /// Write every record of a list as NDJSON, one list envelope, or CSV.
    Export(ExportArgs),
    /// List customers or onboardings as a table (one page).
    Ls(LsArgs),
    /// Show one record by id (cus_…, con_…, onb_…) or display id.
    Show(ShowArgs),
    /// Print the change log; with --follow, keep printing new events.
    Events(EventsArgs),
    /// The workspace report: counts, on-time rate, days to launch.
    Report(ReportArgs),
    /// Create, list and revoke API keys.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Check the file: integrity, schema version, records per kind.
    Check,
    /// Write the quickstart's data (a customer, contacts, an onboarding walked through every phase).
    Demo,
    /// Serve the Pivotal REST API over HTTP under /api/v1 (`--db :memory:` for a throwaway store).
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on (port 0: any free port; the line `listening on http://…` on
    /// standard output tells which).
    #[arg(long, default_value = "127.0.0.1:8787", value_name = "HOST:PORT")]
    pub addr: String,
    /// For tests: a request without `Authorization` runs in the store's keyless session (default
    /// workspace, live mode), which the headers `Pivotal-Workspace`, `Pivotal-Livemode` and
    /// `Pivotal-Actor` may switch. A request with a key is still checked.
    #[arg(long)]
    pub no_auth: bool,
    /// For tests: a fixed clock starting at this RFC 3339 instant, moved only through
    /// `POST /api/v1/test_helpers/clock`.
    #[arg(long, value_name = "INSTANT")]
    pub clock: Option<String>,
    /// The actor of the keyless session's changes.
    #[arg(long, default_value = pivotal_core::service::DEFAULT_ACTOR, value_name = "NAME")]
    pub actor: String,
    /// Requests handled at once; more wait for a slot.
    #[arg(long, default_value_t = 256, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub max_concurrent: u64,
    /// Seconds a connection may take to send a request's headers (408 past it), or stay idle
    /// between requests (then it is closed).
    #[arg(long, default_value_t = 30, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    pub header_timeout: u64,
    /// Seconds a request may take, body included (408 past it).
    #[arg(long, default_value_t = 30, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    pub request_timeout: u64,
    /// Log nothing but warnings (one line per request otherwise, on standard error).
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files to import, in order (`-` reads standard input).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,
    /// On a bad item: stop (roll its chunk back) or skip it and go on.
    #[arg(long, value_enum, default_value_t = OnErrorArg::Stop)]
    pub on_error: OnErrorArg,
    /// Items per transaction [default: 1000].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub chunk_size: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnErrorArg {
    Stop,
    Skip,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListKind {
    Customers,
    Contacts,
    Onboardings,
    Events,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableKind {
    Customers,
    Onboardings,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Ndjson,
    Json,
    Csv,
}

/// The lists' filters, as the API names them; each applies to the lists that have it.
#[derive(Debug, Clone, Default, Args)]
pub struct Filters {
    /// Customers: only this status.
    #[arg(long)]
    pub status: Option<String>,
    /// Customers: only the customer with this slug.
    #[arg(long)]
    pub slug: Option<String>,
    /// Contacts, onboardings: only this customer's (id or display id).
    #[arg(long, value_name = "REF")]
    pub customer: Option<String>,
    /// Onboardings: only this phase.
    #[arg(long)]
    pub phase: Option<String>,
    /// Onboardings: only this state.
    #[arg(long)]
    pub state: Option<String>,
    /// Events: only those after this sequence number.
    #[arg(long, value_name = "N")]
    pub after_sequence: Option<i64>,
    /// Events: only these types (repeat the option or separate with commas).
    #[arg(long = "type", value_name = "TYPE", value_delimiter = ',')]
    pub types: Vec<String>,
    /// Events: only those about this object id.
    #[arg(long, value_name = "ID")]
    pub object_id: Option<String>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The list to export.
    pub list: ListKind,
    #[command(flatten)]
    pub filters: Filters,
    /// Output format [default: ndjson; json with --json].
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct LsArgs {
    /// The list to show.
    pub list: TableKind,
    #[command(flatten)]
    pub filters: Filters,
    /// Rows to show, 1–100 (the API's page size; default the API's).
    #[arg(long, value_name = "N")]
    pub limit: Option<i64>,
    /// Start after this cursor (a page's next_cursor, or an RFC 3339 instant).
    #[arg(long)]
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RecordKind {
    Customer,
    Contact,
    Onboarding,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// An id (cus_…, con_…, onb_…) or a display id (a number).
    #[arg(value_name = "REF")]
    pub reference: String,
    /// The kind a display id names (a number may name one record of each kind).
    #[arg(long, value_enum)]
    pub kind: Option<RecordKind>,
}

#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Only events after this sequence number.
    #[arg(long, value_name = "N")]
    pub after_sequence: Option<i64>,
    /// Only these types (repeat the option or separate with commas).
    #[arg(long = "type", value_name = "TYPE", value_delimiter = ',')]
    pub types: Vec<String>,
    /// Only events about this object id.
    #[arg(long, value_name = "ID")]
    pub object_id: Option<String>,
    /// Keep polling and print new events until interrupted.
    #[arg(long)]
    pub follow: bool,
    /// With --follow: stop after printing this many events.
    #[arg(long, value_name = "N", requires = "follow")]
    pub max_events: Option<u64>,
    /// With --follow: stop after this many seconds.
    #[arg(long, value_name = "SECONDS", requires = "follow")]
    pub timeout: Option<f64>,
    /// With --follow: milliseconds between polls.
    #[arg(long, value_name = "MS", default_value_t = 500, requires = "follow")]
    pub interval: u64,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The report's instant (RFC 3339; default now).
    #[arg(long, value_name = "INSTANT")]
    pub as_of: Option<String>,
    /// Only this customer's onboardings (id or display id).
    #[arg(long, value_name = "REF")]
    pub customer: Option<String>,
    /// Only onboardings of this CSM.
    #[arg(long, value_name = "ID")]
    pub csm: Option<String>,
    /// Only onboardings of this template.
    #[arg(long, value_name = "ID")]
    pub template: Option<String>,
    /// Count open onboardings stalled longer than this many days in their phase.
    #[arg(long, value_name = "DAYS")]
    pub stalled_after_days: Option<f64>,
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Create a key; its secret is printed once.
    Create {
        /// The key's name (recorded as the actor of what it does).
        name: String,
        /// A test-mode key (pivotal_test_…).
        #[arg(long)]
        test: bool,
    },
    /// List the keys of both modes, revoked ones included.
    Ls,
    /// Revoke a key by id (key_…), effective immediately.
    Revoke {
        /// The key's id.
        id: String,
    },
}

/// A value's name on the command line (`customers`, `csv`, …).
pub fn name_of(value: &impl ValueEnum) -> String {
    value
        .to_possible_value()
        .map_or(String::new(), |v| v.get_name().to_string())
}
