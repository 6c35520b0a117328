//! Why a command failed, and its exit code: 1 for usage (clap's errors too) and for the command's
//! own files, 2 for a Pivotal error.

use pivotal_core::Error;
use std::io::{self, Write};

/// A failed command.
#[derive(Debug)]
pub enum Failure {
    /// Wrong arguments, or a file the command cannot read or write: exit 1.
    Usage(String),
    /// An error of the store or of the data, as the API would answer it: exit 2.
    Pivotal(Error),
    /// Standard output closed (`pivotal events --follow | head`): a quiet exit 0.
    Closed,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Pivotal(e)
    }
}

impl From<io::Error> for Failure {
    /// A failure to write standard output.
    fn from(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Failure::Closed
        } else {
            Failure::Usage(format!("cannot write the output: {e}"))
        }
    }
}

/// A usage failure.
pub fn usage(message: impl Into<String>) -> Failure {
    Failure::Usage(message.into())
}

impl Failure {
    /// Prints the failure on stderr (the API's error envelope for a Pivotal error with `--json`)
    /// and returns the exit code.
    pub fn report(&self, json: bool) -> u8 {
        let mut err = io::stderr().lock();
        match self {
            Failure::Usage(message) => {
                let _ = writeln!(err, "error: {message}");
                1
            }
            Failure::Pivotal(e) if json => {
                let _ = writeln!(err, "{}", e.to_json());
                2
            }
            Failure::Pivotal(e) => {
                let _ = writeln!(err, "error: {}", describe(e));
                2
            }
            Failure::Closed => 0,
        }
    }
}

/// An error as one readable line: `<type>/<code>: <message> (field …)`.
pub fn describe(e: &Error) -> String {
    let field = e
        .field
        .as_deref()
        .map_or(String::new(), |f| format!(" (field {f})"));
    format!("{}/{}: {}{field}", e.error_type(), e.code, e.message)
}
