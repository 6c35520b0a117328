//! The `pivotal` binary: a thin wrapper of [`pivotal_cli::main_with_args`].

use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(pivotal_cli::main_with_args(std::env::args_os()))
}
